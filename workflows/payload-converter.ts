// The payload converter of the worker (workflows and activities): the SDK's default, except
// that a payload it cannot decode becomes an `Undecodable` value instead of an exception.
// Why: the SDK decodes a signal's arguments outside any handler, so one signal whose payload
// says json/plain but is not JSON (the temporal CLI refuses such input, raw gRPC or another
// SDK does not) failed the letter's workflow task on every retry and the letter stopped
// answering. With this, the letter's handlers see the value and refuse it with a message.
// Encoding is unchanged, so clients need nothing special.
import {
  BinaryPayloadConverter,
  CompositePayloadConverter,
  JsonPayloadConverter,
  UndefinedPayloadConverter,
  type Payload,
} from '@temporalio/common';

export interface Undecodable {
  undecodablePayload: string;
}

export function isUndecodable(value: unknown): value is Undecodable {
  return typeof value === 'object' && value !== null && typeof (value as Undecodable).undecodablePayload === 'string';
}

class LenientJsonPayloadConverter extends JsonPayloadConverter {
  override fromPayload<T>(payload: Payload): T {
    try {
      return super.fromPayload<T>(payload);
    } catch (err) {
      const undecodable: Undecodable = { undecodablePayload: `the payload is not JSON (${(err as Error).message})` };
      return undecodable as T;
    }
  }
}

export const payloadConverter = new CompositePayloadConverter(
  new UndefinedPayloadConverter(),
  new BinaryPayloadConverter(),
  new LenientJsonPayloadConverter(),
);
