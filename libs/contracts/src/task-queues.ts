export const DEFAULT_TASK_QUEUE = 'ctap-requests';
