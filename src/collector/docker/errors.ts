/**
 * Errors of the Docker client. Every public method of `DockerClient` rejects only with one of these; callers
 * branch on the class or `code`, never on the message.
 */

export type DockerErrorCode =
  | 'DOCKER_HOST_INVALID'
  | 'DOCKER_OPTION_INVALID'
  | 'DOCKER_UNREACHABLE'
  | 'DOCKER_TIMEOUT'
  | 'DOCKER_STATUS'
  | 'DOCKER_BAD_RESPONSE'
  | 'DOCKER_RESPONSE_TOO_LARGE'
  | 'DOCKER_CLOSED';

/** Base class: `code` is stable, `message` names the step that failed. */
export abstract class DockerError extends Error {
  abstract readonly code: DockerErrorCode;
}

/** A `DOCKER_HOST` or `collector.docker.host` value that cannot be used; `value` as given, `reason` why. */
export class DockerHostError extends DockerError {
  readonly code = 'DOCKER_HOST_INVALID';
  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(`docker host ${JSON.stringify(value)}: ${reason}`);
    this.name = 'DockerHostError';
  }
}

/** An option out of range, named by `field`. Thrown by constructors only. */
export class DockerOptionError extends DockerError {
  readonly code = 'DOCKER_OPTION_INVALID';
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`docker: option ${field}=${String(value)}: ${reason}`);
    this.name = 'DockerOptionError';
  }
}

/**
 * The daemon could not be reached (no socket, connection refused, permission denied) or dropped the connection
 * before the answer was complete. `cause` is the system error when there is one.
 */
export class DockerUnreachableError extends DockerError {
  readonly code = 'DOCKER_UNREACHABLE';
  constructor(
    readonly endpoint: string,
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`GET ${path} on ${endpoint}: ${detail}`, options);
    this.name = 'DockerUnreachableError';
  }
}

/** No complete answer within `timeoutMs` (for the event stream: no response headers within it). */
export class DockerTimeoutError extends DockerError {
  readonly code = 'DOCKER_TIMEOUT';
  constructor(
    readonly endpoint: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`GET ${path} on ${endpoint}: no answer within ${timeoutMs} ms`);
    this.name = 'DockerTimeoutError';
  }
}

/** A non-2xx answer; `dockerMessage` is the `message` of Docker's error body (or the start of the body). */
export class DockerStatusError extends DockerError {
  readonly code = 'DOCKER_STATUS';
  constructor(
    readonly endpoint: string,
    readonly path: string,
    readonly status: number,
    readonly dockerMessage: string,
  ) {
    super(`GET ${path} on ${endpoint}: status ${status}: ${dockerMessage}`);
    this.name = 'DockerStatusError';
  }
}

/** A body that is not JSON, or JSON of an unexpected shape (`reason` says which). */
export class DockerResponseError extends DockerError {
  readonly code = 'DOCKER_BAD_RESPONSE';
  constructor(
    readonly endpoint: string,
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`GET ${path} on ${endpoint}: ${reason}`, options);
    this.name = 'DockerResponseError';
  }
}

/** A body (or one event line) above `limitBytes`; the connection is dropped at the limit. */
export class DockerResponseTooLargeError extends DockerError {
  readonly code = 'DOCKER_RESPONSE_TOO_LARGE';
  constructor(
    readonly endpoint: string,
    readonly path: string,
    readonly limitBytes: number,
  ) {
    super(`GET ${path} on ${endpoint}: answer larger than ${limitBytes} bytes`);
    this.name = 'DockerResponseTooLargeError';
  }
}

/** The client was closed before or while the request ran. */
export class DockerClosedError extends DockerError {
  readonly code = 'DOCKER_CLOSED';
  constructor(readonly path: string) {
    super(`GET ${path}: docker client closed`);
    this.name = 'DockerClosedError';
  }
}

/** True for a 404 answer (`No such container`). */
export function isNotFound(err: unknown): boolean {
  return err instanceof DockerStatusError && err.status === 404;
}
