export { assistanceRequestWorkflow } from './assistance-request.workflow';
export { deliveryActivityWorkflow } from './delivery-activity.workflow';
