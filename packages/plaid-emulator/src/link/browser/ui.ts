import { start } from './ui-flow';

start();
