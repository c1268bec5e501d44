/**
 * Typed application errors. Every error a client can see has a stable code, an HTTP status and a message in
 * Vietnamese and in English. Step handlers throw the same classes; their `name` becomes the Step Functions
 * error name (in AWS and in the local engine alike), so ASL Retry/Catch can match on it.
 */
export interface ErrorBody {
  code: string;
  message: { vi: string; en: string };
  details?: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    readonly messageVi: string,
    readonly messageEn: string,
    readonly details?: unknown,
  ) {
    super(`${code}: ${messageEn}`);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: { vi: this.messageVi, en: this.messageEn } };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export class ValidationError extends AppError {
  constructor(messageVi: string, messageEn: string, details?: unknown, code = 'VALIDATION_FAILED') {
    super(code, 400, messageVi, messageEn, details);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: { vi: string; en: string }, code = 'NOT_FOUND') {
    super(code, 404, `Không tìm thấy ${what.vi}`, `${what.en} not found`);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  constructor(code: string, messageVi: string, messageEn: string, details?: unknown) {
    super(code, 409, messageVi, messageEn, details);
    this.name = 'ConflictError';
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'FORBIDDEN', messageVi = 'Bạn không có quyền thực hiện thao tác này', messageEn = 'You are not allowed to do this') {
    super(code, 403, messageVi, messageEn);
    this.name = 'ForbiddenError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'UNAUTHENTICATED', messageVi = 'Chưa xác thực hoặc mã xác thực không hợp lệ', messageEn = 'Missing or invalid credentials') {
    super(code, 401, messageVi, messageEn);
    this.name = 'UnauthorizedError';
  }
}

/** The population registry did not answer in time or answered 5xx after the adapter's bounded retries. */
export class RegistryUnavailableError extends AppError {
  constructor(cause?: string) {
    super(
      'REGISTRY_UNAVAILABLE',
      503,
      'Cơ sở dữ liệu quốc gia về dân cư tạm thời không phản hồi',
      'The national population registry is temporarily unavailable',
      cause ? { cause } : undefined,
    );
    // Step Functions matches on this name (Retry/Catch "RegistryUnavailable").
    this.name = 'RegistryUnavailable';
  }
}

/** A transient infrastructure fault worth retrying by the workflow (throttling, a conditional race lost). */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}
