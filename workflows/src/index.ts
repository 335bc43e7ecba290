export { assistanceRequestWorkflow } from './assistance-request.workflow';
export { deliveryActivityWorkflow } from './delivery-activity.workflow';
export { outboxDispatcherWorkflow } from './outbox-dispatcher.workflow';
