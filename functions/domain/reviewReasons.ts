/**
 * Labels (Vietnamese + English) for review reasons and for the terminal reasons the workflow records.
 * Vietnamese wording follows the messages citizens and staff already know from the field (domain.md §6).
 */
import type { ReviewReasonCode } from './types';

export interface Label {
  vi: string;
  en: string;
}

const ID_NOT_FOUND_VI = 'Số định danh không tồn tại trong cơ sở dữ liệu quốc gia về dân cư';
const ID_NOT_FOUND_EN = 'The personal identification number does not exist in the national population database';

const REVIEW_REASON_LABELS: Record<ReviewReasonCode, Label> = {
  HEAD_OF_HOUSEHOLD_NOT_FOUND: {
    vi: 'Không tồn tại thông tin chủ hộ trong cơ sở dữ liệu quốc gia về dân cư',
    en: 'The head of household does not exist in the national population database',
  },
  PERSON_NOT_FOUND: { vi: ID_NOT_FOUND_VI, en: ID_NOT_FOUND_EN },
  NAME_MISMATCH: {
    vi: 'Họ và tên kê khai không khớp với cơ sở dữ liệu quốc gia về dân cư',
    en: 'The declared full name does not match the national population database',
  },
  DATE_OF_BIRTH_MISMATCH: {
    vi: 'Ngày tháng năm sinh kê khai không khớp với cơ sở dữ liệu quốc gia về dân cư',
    en: 'The declared date of birth does not match the national population database',
  },
  SEX_MISMATCH: {
    vi: 'Giới tính kê khai không khớp với cơ sở dữ liệu quốc gia về dân cư',
    en: 'The declared sex does not match the national population database',
  },
  ID_INCONSISTENT_WITH_DATE_OF_BIRTH: {
    vi: 'Số định danh cá nhân không phù hợp với năm sinh kê khai',
    en: 'The personal identification number does not match the declared year of birth',
  },
  ID_INCONSISTENT_WITH_SEX: {
    vi: 'Số định danh cá nhân không phù hợp với giới tính kê khai',
    en: 'The personal identification number does not match the declared sex',
  },
  ADDRESS_MISMATCH: {
    vi: 'Các thành viên kê khai không cùng địa chỉ thường trú hoặc tạm trú',
    en: 'The declared members do not share a permanent or temporary residence address',
  },
  CHILD_UNDER_6_UNREGISTERED: {
    vi: `${ID_NOT_FOUND_VI} (trẻ em dưới 6 tuổi chưa được liên kết thông tin khai sinh, cư trú)`,
    en: `${ID_NOT_FOUND_EN} (child under 6 whose birth or residence registration is not yet linked)`,
  },
  HOUSEHOLD_NOT_FOUND: {
    vi: 'Không tồn tại thông tin hộ gia đình của chủ hộ trong cơ sở dữ liệu quốc gia về dân cư',
    en: 'No household headed by this person exists in the national population database',
  },
  REGISTRY_UNAVAILABLE: {
    vi: 'Cơ sở dữ liệu quốc gia về dân cư tạm thời không phản hồi',
    en: 'The national population registry is temporarily unavailable',
  },
};

export function reviewReasonLabel(code: ReviewReasonCode): Label {
  const label = REVIEW_REASON_LABELS[code];
  if (!label) throw new RangeError(`Unknown review reason code: ${String(code)}`);
  return { ...label };
}

/** Terminal reasons the workflow records (RecordOutcome), besides review reason codes. */
export type OutcomeReasonCode =
  | 'REVIEW_DEADLINE_PASSED'
  | 'PAYMENT_NOT_RECEIVED'
  | 'NO_BILLABLE_MEMBERS'
  | 'REJECTED_BY_REVIEWER'
  | 'WORKFLOW_ERROR'
  | 'ALREADY_SETTLED'
  | 'NOT_ELIGIBLE'
  | 'EMPLOYER_NOT_CLOSED'
  | 'EMPLOYER_OWES_CONTRIBUTIONS'
  | 'RULE_DATA_UNAVAILABLE'
  | 'WORKFLOW_STOPPED'
  | 'WORKFLOW_TIMED_OUT'
  | 'WORKFLOW_FAILED'
  | 'CARD_CHANGED_SINCE_QUOTE'
  | 'RENEWAL_IN_PROGRESS'
  | 'CONTRACT_NOT_COVERED'
  | 'INSUFFICIENT_MONTHS_IN_WINDOW'
  | 'ELIGIBLE';

const OUTCOME_REASON_LABELS: Record<OutcomeReasonCode, Label> = {
  REVIEW_DEADLINE_PASSED: {
    vi: 'Đã quá thời hạn xem xét hồ sơ mà chưa có quyết định của cán bộ',
    en: 'The review deadline passed before staff made a decision',
  },
  PAYMENT_NOT_RECEIVED: {
    vi: 'Không nhận được tiền đóng trong thời hạn thanh toán',
    en: 'Payment was not received before the payment deadline',
  },
  NO_BILLABLE_MEMBERS: {
    vi: 'Không có thành viên nào phải đóng BHYT theo hộ gia đình: các thành viên đã có thẻ BHYT thuộc nhóm khác hoặc do ngân sách nhà nước đóng',
    en: 'No member needs to be billed as a household: every member is already covered by another group or by the State budget',
  },
  REJECTED_BY_REVIEWER: {
    vi: 'Hồ sơ bị cán bộ xem xét từ chối',
    en: 'The application was rejected by the reviewing officer',
  },
  WORKFLOW_ERROR: {
    vi: 'Hệ thống gặp lỗi khi xử lý hồ sơ; vui lòng liên hệ cơ quan bảo hiểm xã hội',
    en: 'A system error stopped the application; please contact the social insurance office',
  },
  ALREADY_SETTLED: {
    vi: 'Quá trình đóng bảo hiểm xã hội đã được giải quyết hưởng bảo hiểm xã hội một lần trước đó',
    en: 'The social-insurance record has already been paid out as a lump sum',
  },
  NOT_ELIGIBLE: {
    vi: 'Không đủ điều kiện hưởng bảo hiểm xã hội một lần theo quy định',
    en: 'The conditions for a lump-sum social-insurance withdrawal are not met',
  },
  EMPLOYER_NOT_CLOSED: {
    vi: 'Đơn vị sử dụng lao động cuối cùng chưa chốt quá trình đóng bảo hiểm; chưa thể xác nhận quá trình đóng bảo hiểm thất nghiệp',
    en: "The last employer has not closed the worker's contribution record; the unemployment-insurance record cannot be confirmed yet",
  },
  EMPLOYER_OWES_CONTRIBUTIONS: {
    vi: 'Đơn vị sử dụng lao động cuối cùng còn nợ tiền đóng bảo hiểm; chưa thể xác nhận quá trình đóng bảo hiểm thất nghiệp',
    en: 'The last employer owes contributions; the unemployment-insurance record cannot be confirmed yet',
  },
  // The lump sum's final ComputeAmount attempt: the rule data (e.g. the year's coefficient table) never came.
  RULE_DATA_UNAVAILABLE: {
    vi: 'Chưa có dữ liệu quy định cần để tính mức hưởng bảo hiểm xã hội một lần',
    en: 'The legal data needed to compute the lump sum has not been published yet',
  },
  // The execution ended by a path that recorded no outcome (functions/events/executionEnded.ts).
  WORKFLOW_STOPPED: {
    vi: 'Việc xử lý hồ sơ đã bị dừng trước khi có kết quả; vui lòng liên hệ cơ quan bảo hiểm xã hội hoặc nộp lại hồ sơ',
    en: 'Processing of the application was stopped before it had an outcome; please contact the social insurance office or submit it again',
  },
  WORKFLOW_TIMED_OUT: {
    vi: 'Việc xử lý hồ sơ đã quá thời gian cho phép mà chưa có kết quả; vui lòng liên hệ cơ quan bảo hiểm xã hội',
    en: 'Processing of the application ran past its time limit without an outcome; please contact the social insurance office',
  },
  WORKFLOW_FAILED: {
    vi: 'Việc xử lý hồ sơ gặp lỗi hệ thống và đã dừng mà chưa có kết quả; vui lòng liên hệ cơ quan bảo hiểm xã hội',
    en: 'A system error ended the processing of the application before it had an outcome; please contact the social insurance office',
  },
  // Household renewal: a member's card changed between the quote and the renewal; the payment is a refund due.
  CARD_CHANGED_SINCE_QUOTE: {
    vi: 'Thẻ BHYT của thành viên đã thay đổi sau khi tính mức đóng; khoản đã nộp sẽ được hoàn trả',
    en: "A member's health-insurance card changed after the quote; the amount paid will be refunded",
  },
  // Unemployment history: the result's eligibility reason.
  CONTRACT_NOT_COVERED: {
    vi: 'Không đủ điều kiện hưởng trợ cấp thất nghiệp về loại hợp đồng',
    en: 'The contract does not qualify for unemployment benefit',
  },
  INSUFFICIENT_MONTHS_IN_WINDOW: {
    vi: 'Không đủ điều kiện hưởng trợ cấp thất nghiệp về thời gian đóng bảo hiểm thất nghiệp',
    en: 'The unemployment-insurance contribution condition for the benefit is not met',
  },
  ELIGIBLE: {
    vi: 'Đủ điều kiện về thời gian đóng bảo hiểm thất nghiệp',
    en: 'The unemployment-insurance contribution condition is met',
  },
  // Household renewal: another application holds the household (one renewal per household at a time).
  RENEWAL_IN_PROGRESS: {
    vi: 'Hộ gia đình đang có một hồ sơ gia hạn khác đang xử lý hoặc đã thanh toán',
    en: 'Another renewal of this household is in progress or has been paid',
  },
};

/**
 * Label for a terminal reason code: the workflow's own codes, then any review reason code (e.g.
 * REGISTRY_UNAVAILABLE), then a generic fallback naming the code.
 */
export function outcomeReasonLabel(code: string): Label {
  if (Object.hasOwn(OUTCOME_REASON_LABELS, code)) return { ...OUTCOME_REASON_LABELS[code as OutcomeReasonCode] };
  if (Object.hasOwn(REVIEW_REASON_LABELS, code)) return { ...REVIEW_REASON_LABELS[code as ReviewReasonCode] };
  return {
    vi: `Hồ sơ đã kết thúc (mã lý do: ${code})`,
    en: `The application has ended (reason code: ${code})`,
  };
}
