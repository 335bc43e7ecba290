/** Workflow ids are business keys: starting twice for the same request finds the same workflow. */
export const requestWorkflowId = (reference: string): string => `assistance-request/${reference}`;
export const deliveryActivityWorkflowId = (reference: string, activityKey: string): string =>
  `delivery-activity/${reference}/${activityKey}`;
