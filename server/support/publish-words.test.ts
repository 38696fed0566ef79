import { describe, expect, it } from 'vitest';
import { publishErrorWords } from './publish-words';

// The texts the publisher stores in stream_outbox.last_error (server/streams/publisher.ts), as the SDK
// and kinesalite produce them, and what the streams console says instead.
describe('publish errors in words', () => {
  it.each([
    ['Error: connect ECONNREFUSED 127.0.0.1:4567', 'could not be reached'],
    ['TimeoutError: socket hang up', 'could not be reached'],
    ['3 of 10 records failed (ProvisionedThroughputExceededException) after 5 calls', 'throttling'],
    ['ResourceNotFoundException: Stream tributary-raw-transactions under account 000000000000 not found.', 'does not exist'],
    ['UnrecognizedClientException: The security token included in the request is invalid.', 'credentials'],
    ['2 of 4 records failed (KMSThrottlingException) after 5 calls', 'throttling'],
    ['held back behind an earlier record of its item', 'Waiting behind an earlier record'],
    ['SomethingNewException: never seen', 'server log has the details'],
  ])('%s', (raw, words) => {
    const said = publishErrorWords(raw);
    expect(said).toContain(words);
    expect(said, 'no developer text').not.toMatch(/[A-Z][a-z]+Exception|ECONN|127\.0\.0\.1|[`{}]/);
  });
});
