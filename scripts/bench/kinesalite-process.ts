/**
 * Kinesalite in a process of its own (for bench:streams): the way the app meets a real Kinesis —
 * another program, whose work is not done on the publisher's thread. Started with fork(); sends
 * its endpoint once the streams are ACTIVE; stops when its parent disconnects or on SIGTERM.
 */
import { startKinesalite } from '../../server/streams/kinesalite';
import { testStreams } from '../../test/support/streams';

const local = await startKinesalite({ streams: Object.values(testStreams), shardCount: 2 });
const stop = () => void local.close().finally(() => process.exit(0));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.send!({ endpoint: local.endpoint });
