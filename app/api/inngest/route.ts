import { inngestRoute } from '../../../inngest/serve';

export const { GET, POST, PUT } = inngestRoute;
