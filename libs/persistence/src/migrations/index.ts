import { InitialSchema1795481299416 } from './1795481299416-InitialSchema';

// Listed explicitly so every process runs the same set, in order.
export const MIGRATIONS: Function[] = [InitialSchema1795481299416];
