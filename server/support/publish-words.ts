/**
 * Why the publisher could not send to Kinesis, in words staff read: `stream_outbox.last_error` keeps
 * the SDK's own text (for the log and engineers); the streams console shows these instead.
 */
const PUBLISH_ERRORS: Array<[RegExp, string]> = [
  [/\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)\b|socket hang up|TimeoutError|NetworkingError/,
    'Kinesis could not be reached. The records wait here and go out by themselves once it answers.'],
  [/ProvisionedThroughputExceeded|Throttl|LimitExceeded|Rate exceeded/i,
    'Kinesis is throttling this stream (more than its shards take). The records are retried; lasting throttling needs more shards.'],
  [/ResourceNotFound|Stream .* not found/i,
    'This stream does not exist in Kinesis. Check the stream name settings and that the stream was created.'],
  [/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken|SignatureDoesNotMatch|not authorized/i,
    'Kinesis refused Tributary’s credentials. Check the AWS access settings.'],
  [/KMS/i, 'Kinesis could not encrypt the records with the stream’s key. Check the stream’s encryption key.'],
  [/held back behind an earlier record/i,
    'Waiting behind an earlier record of the same bank connection that has not gone out yet (records keep their order).'],
];

export function publishErrorWords(raw: string): string {
  return PUBLISH_ERRORS.find(([re]) => re.test(raw))?.[1] ?? 'Kinesis did not take these records. The publisher retries them; the server log has the details.';
}
