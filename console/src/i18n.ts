/// <reference lib="dom" />
/** Interface text: Vietnamese first, English as a toggle (remembered in localStorage). */
import { reviewReasonLabel } from '../../functions/domain/reviewReasons';
import { REVIEW_REASON_CODES, type ReviewReasonCode } from '../../functions/domain/types';

export type Lang = 'vi' | 'en';

const KEY = 'bhxh-console-lang';
let current: Lang = (typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === 'en' ? 'en' : 'vi') as Lang;

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
}

export interface Bilingual {
  vi: string;
  en: string;
}

/** Picks the current language of a { vi, en } pair. */
export function pick(label: Bilingual | null | undefined): string {
  if (!label) return '';
  return label[current] ?? label.vi;
}

const T = {
  appTitle: { vi: 'Xử lý hồ sơ cần xác minh danh tính', en: 'Identity review console' },
  agency: { vi: 'Bảo hiểm xã hội Việt Nam', en: 'Vietnam Social Security' },
  skip: { vi: 'Bỏ qua đến nội dung chính', en: 'Skip to main content' },
  langToggle: { vi: 'English', en: 'Tiếng Việt' },
  langToggleLabel: { vi: 'Chuyển sang tiếng Anh', en: 'Switch to Vietnamese' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  signInTitle: { vi: 'Đăng nhập cán bộ', en: 'Staff sign-in' },
  devNotice: {
    vi: 'Môi trường thử nghiệm cục bộ: chọn một danh tính thử nghiệm (mã dev-staff-<mã tỉnh> hoặc dev-supervisor-<mã tỉnh>).',
    en: 'Local development: pick a development identity (token dev-staff-<code> or dev-supervisor-<code>).',
  },
  province: { vi: 'Tỉnh, thành phố', en: 'Province' },
  role: { vi: 'Vai trò', en: 'Role' },
  roleStaff: { vi: 'Cán bộ xử lý', en: 'Review officer' },
  roleSupervisor: { vi: 'Lãnh đạo (giám sát)', en: 'Supervisor' },
  username: { vi: 'Tên đăng nhập hoặc email', en: 'Username or email' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  newPassword: { vi: 'Mật khẩu mới (bắt buộc đổi ở lần đăng nhập đầu)', en: 'New password (required at first sign-in)' },
  mfaCode: { vi: 'Mã xác thực 6 số từ ứng dụng', en: '6-digit code from your authenticator app' },
  continue: { vi: 'Tiếp tục', en: 'Continue' },
  signInFailed: { vi: 'Đăng nhập không thành công', en: 'Sign-in failed' },
  queue: { vi: 'Hàng đợi', en: 'Queue' },
  queueTitle: { vi: 'Hàng đợi yêu cầu xem xét', en: 'Review queue' },
  refresh: { vi: 'Làm mới', en: 'Refresh' },
  filters: { vi: 'Bộ lọc', en: 'Filters' },
  status: { vi: 'Trạng thái', en: 'Status' },
  service: { vi: 'Dịch vụ', en: 'Service' },
  reason: { vi: 'Lý do', en: 'Reason' },
  all: { vi: 'Tất cả', en: 'All' },
  active: { vi: 'Đang mở (chờ và đang xử lý)', en: 'Active (open and claimed)' },
  escalatedOnly: { vi: 'Chỉ yêu cầu đã chuyển lãnh đạo', en: 'Escalated items only' },
  due: { vi: 'Hạn xử lý', en: 'Due' },
  age: { vi: 'Đã chờ', en: 'Age' },
  holder: { vi: 'Người xử lý', en: 'Held by' },
  nobody: { vi: '— chưa ai nhận —', en: '— nobody —' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  escalated: { vi: 'Đã chuyển lãnh đạo', en: 'Escalated' },
  empty: { vi: 'Không có yêu cầu nào phù hợp.', en: 'No matching items.' },
  countsTitle: { vi: 'Số lượng theo trạng thái', en: 'Counts by status' },
  itemsShown: { vi: 'yêu cầu', en: 'items' },
  open: { vi: 'Mở', en: 'Open' },
  back: { vi: 'Quay lại hàng đợi', en: 'Back to the queue' },
  itemId: { vi: 'Mã yêu cầu', en: 'Item' },
  applicationId: { vi: 'Mã hồ sơ', en: 'Application' },
  openedAt: { vi: 'Mở lúc', en: 'Opened' },
  escalateAt: { vi: 'Chuyển lãnh đạo lúc', en: 'Escalates at' },
  subject: { vi: 'Người được xác minh', en: 'Subject' },
  HEAD_OF_HOUSEHOLD: { vi: 'Chủ hộ', en: 'Head of household' },
  APPLICANT: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
  claim: { vi: 'Nhận xử lý', en: 'Claim' },
  release: { vi: 'Trả lại hàng đợi', en: 'Release' },
  reveal: { vi: 'Hiện số định danh đầy đủ', en: 'Reveal personal ID' },
  revealNote: { vi: 'Việc xem số định danh đầy đủ được ghi vào nhật ký.', en: 'Revealing the full personal ID is recorded in the audit trail.' },
  revealed: { vi: 'Đã hiện số định danh (đã ghi nhật ký)', en: 'Personal ID revealed (recorded)' },
  reassign: { vi: 'Giao cho cán bộ', en: 'Reassign to' },
  reassignButton: { vi: 'Giao việc', en: 'Reassign' },
  comparison: { vi: 'Thông tin kê khai và Cơ sở dữ liệu quốc gia về dân cư', en: 'Declared data and the national population database' },
  field: { vi: 'Thông tin', en: 'Field' },
  submitted: { vi: 'Công dân kê khai', en: 'Citizen declared' },
  registry: { vi: 'CSDLQG về dân cư', en: 'Population registry' },
  result: { vi: 'Đối chiếu', en: 'Result' },
  match: { vi: 'Khớp', en: 'Matches' },
  differs: { vi: 'Khác', en: 'Differs' },
  notInRegistry: { vi: 'Không có trong CSDLQG', en: 'Not in the registry' },
  notDeclared: { vi: '(không kê khai)', en: '(not declared)' },
  DIFFERS_ONLY_BY_DIACRITICS: { vi: 'Chỉ khác dấu tiếng Việt', en: 'Differs only in diacritics' },
  DIFFERS_ONLY_BY_NORMALIZATION: { vi: 'Chỉ khác cách viết hoa / mã Unicode', en: 'Differs only in case / Unicode form' },
  personalId: { vi: 'Số định danh cá nhân', en: 'Personal ID' },
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  dateOfBirth: { vi: 'Ngày sinh', en: 'Date of birth' },
  sex: { vi: 'Giới tính', en: 'Sex' },
  MALE: { vi: 'Nam', en: 'Male' },
  FEMALE: { vi: 'Nữ', en: 'Female' },
  useRegistry: { vi: 'Dùng thông tin CSDLQG', en: 'Use the registry value' },
  relation: { vi: 'Quan hệ với chủ hộ', en: 'Relation to head' },
  householdProblems: { vi: 'Vấn đề của các thành viên hộ', en: 'Household member problems' },
  ADDRESS_MISMATCH_MEMBER: { vi: 'Khác địa chỉ cư trú', en: 'Different residence address' },
  PERSON_NOT_FOUND_MEMBER: { vi: 'Không có trong CSDLQG', en: 'Not in the registry' },
  CHILD_UNDER_6_UNREGISTERED_MEMBER: { vi: 'Trẻ dưới 6 tuổi chưa liên kết', en: 'Child under 6 not linked' },
  decision: { vi: 'Quyết định', en: 'Decision' },
  decisionNeedsClaim: { vi: 'Nhận xử lý yêu cầu để phê duyệt hoặc từ chối.', en: 'Claim the item to approve or reject it.' },
  decisionHeldByOther: { vi: 'Yêu cầu đang do cán bộ khác xử lý.', en: 'Another officer holds this item.' },
  approve: { vi: 'Phê duyệt', en: 'Approve' },
  approveTitle: { vi: 'Phê duyệt (hiệu chỉnh thông tin nếu cần)', en: 'Approve (correct the identity if needed)' },
  correctionsHint: { vi: 'Chỉ điền thông tin cần hiệu chỉnh; để trống để giữ thông tin kê khai.', en: 'Fill in only what needs correcting; leave blank to keep the declared value.' },
  keep: { vi: '— giữ nguyên —', en: '— keep —' },
  evidenceNote: { vi: 'Căn cứ xác minh (bắt buộc)', en: 'Evidence note (required)' },
  evidencePlaceholder: { vi: 'VD: Đã đối chiếu CCCD bản gốc tại bộ phận một cửa', en: 'e.g. Original ID card checked at the front desk' },
  reject: { vi: 'Từ chối', en: 'Reject' },
  rejectTitle: { vi: 'Từ chối hồ sơ', en: 'Reject the application' },
  rejectReason: { vi: 'Lý do từ chối (bắt buộc, gửi cho công dân)', en: 'Reason (required, sent to the citizen)' },
  decided: { vi: 'Đã có quyết định', en: 'Decided' },
  decidedBy: { vi: 'Người quyết định', en: 'Decided by' },
  resumePending: { vi: 'Quyết định đã được ghi nhận; hệ thống đang chuyển tiếp cho quy trình.', en: 'Decision recorded; it is being delivered to the workflow.' },
  decisionRecorded: { vi: 'Đã ghi nhận quyết định.', en: 'Decision recorded.' },
  claimed: { vi: 'Đã nhận xử lý yêu cầu.', en: 'Item claimed.' },
  releasedMsg: { vi: 'Đã trả yêu cầu về hàng đợi.', en: 'Item released.' },
  reassignedMsg: { vi: 'Đã giao yêu cầu.', en: 'Item reassigned.' },
  reloaded: { vi: 'Đã tải lại yêu cầu với dữ liệu mới nhất.', en: 'The item has been reloaded with the latest data.' },
  timeline: { vi: 'Diễn biến hồ sơ', en: 'Application timeline' },
  audit: { vi: 'Nhật ký thao tác', en: 'Audit trail' },
  when: { vi: 'Thời điểm', en: 'When' },
  who: { vi: 'Người thực hiện', en: 'Who' },
  what: { vi: 'Thao tác', en: 'Action' },
  beforeAfter: { vi: 'Trước → Sau', en: 'Before → After' },
  event: { vi: 'Sự kiện', en: 'Event' },
  exportTitle: { vi: 'Xuất nhật ký thao tác (CSV)', en: 'Export the audit trail (CSV)' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  download: { vi: 'Tải tệp CSV', en: 'Download CSV' },
  exported: { vi: 'Đã xuất {n} dòng nhật ký.', en: 'Exported {n} audit rows.' },
  supervisorTitle: { vi: 'Tổng hợp cho lãnh đạo', en: 'Supervisor overview' },
  oldestOpen: { vi: 'Yêu cầu mở lâu nhất', en: 'Oldest open item' },
  none: { vi: 'Không có', en: 'None' },
  perReason: { vi: 'Theo lý do', en: 'By reason' },
  perStaff: { vi: 'Theo cán bộ', en: 'By officer' },
  officer: { vi: 'Cán bộ', en: 'Officer' },
  holding: { vi: 'Đang xử lý', en: 'Holding' },
  approved30: { vi: 'Phê duyệt (30 ngày)', en: 'Approved (30 days)' },
  rejected30: { vi: 'Từ chối (30 ngày)', en: 'Rejected (30 days)' },
  openCount: { vi: 'Chờ', en: 'Open' },
  claimedCount: { vi: 'Đang xử lý', en: 'Claimed' },
  overdueCount: { vi: 'Quá hạn', en: 'Overdue' },
  escalatedCount: { vi: 'Đã chuyển lãnh đạo', en: 'Escalated' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  networkError: { vi: 'Không kết nối được máy chủ, vui lòng thử lại.', en: 'Cannot reach the server, please retry.' },
  sessionExpired: { vi: 'Phiên đăng nhập đã hết, vui lòng đăng nhập lại.', en: 'Your session has ended, please sign in again.' },
  required: { vi: 'Vui lòng điền thông tin bắt buộc.', en: 'Please fill in the required field.' },
  you: { vi: 'bạn', en: 'you' },
  version: { vi: 'Phiên bản', en: 'Version' },
  minutes: { vi: 'phút', en: 'min' },
  hours: { vi: 'giờ', en: 'h' },
  days: { vi: 'ngày', en: 'd' },
} satisfies Record<string, Bilingual>;

export type TextKey = keyof typeof T;

export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  let text = pick(T[key]);
  for (const [k, v] of Object.entries(vars)) text = text.replace(`{${k}}`, String(v));
  return text;
}

export const STATUS_LABELS: Record<string, Bilingual> = {
  OPEN: { vi: 'Chờ xử lý', en: 'Open' },
  CLAIMED: { vi: 'Đang xử lý', en: 'Claimed' },
  APPROVED: { vi: 'Đã phê duyệt', en: 'Approved' },
  REJECTED: { vi: 'Đã từ chối', en: 'Rejected' },
  EXPIRED: { vi: 'Hết hạn', en: 'Expired' },
};

export const SERVICE_LABELS: Record<string, Bilingual> = {
  HOUSEHOLD_RENEWAL: { vi: 'Gia hạn BHYT hộ gia đình', en: 'Household health insurance renewal' },
  UNEMPLOYMENT_HISTORY: { vi: 'Xác nhận quá trình đóng BHTN', en: 'Unemployment insurance history' },
  LUMP_SUM_WITHDRAWAL: { vi: 'Hưởng BHXH một lần', en: 'Lump-sum withdrawal' },
};

export const ACTION_LABELS: Record<string, Bilingual> = {
  OPENED: { vi: 'Mở yêu cầu xem xét', en: 'Opened' },
  CLAIMED: { vi: 'Nhận xử lý', en: 'Claimed' },
  RELEASED: { vi: 'Trả lại hàng đợi', en: 'Released' },
  REASSIGNED: { vi: 'Giao cho cán bộ khác', en: 'Reassigned' },
  APPROVED: { vi: 'Phê duyệt', en: 'Approved' },
  REJECTED: { vi: 'Từ chối', en: 'Rejected' },
  RESUMED: { vi: 'Chuyển tiếp quy trình', en: 'Workflow resumed' },
  RESUME_SKIPPED: { vi: 'Quy trình không còn chờ', en: 'Nothing to resume' },
  EXPIRED: { vi: 'Hết hạn xem xét', en: 'Expired' },
  REVEALED_PERSONAL_ID: { vi: 'Xem số định danh đầy đủ', en: 'Revealed the personal ID' },
  ESCALATED: { vi: 'Chuyển lãnh đạo (quá hạn)', en: 'Escalated to supervisors' },
};

/** Timeline events the officers see most; others are shown by their code. */
export const EVENT_LABELS: Record<string, Bilingual> = {
  RECEIVED: { vi: 'Tiếp nhận hồ sơ', en: 'Application received' },
  WORKFLOW_STARTED: { vi: 'Bắt đầu xử lý', en: 'Processing started' },
  IDENTITY_CHECK_STARTED: { vi: 'Xác minh danh tính với CSDLQG về dân cư', en: 'Identity check against the registry' },
  REVIEW_OPENED: { vi: 'Chuyển cán bộ xem xét', en: 'Sent to staff review' },
  REVIEW_DECIDED: { vi: 'Cán bộ đã quyết định', en: 'Staff decided' },
};

export const APPLICATION_STATUS_LABELS: Record<string, Bilingual> = {
  RECEIVED: { vi: 'Đã tiếp nhận', en: 'Received' },
  VERIFYING: { vi: 'Đang xác minh', en: 'Verifying' },
  IN_REVIEW: { vi: 'Chờ cán bộ xem xét', en: 'In review' },
  AWAITING_PAYMENT: { vi: 'Chờ thanh toán', en: 'Awaiting payment' },
  COMPLETED: { vi: 'Hoàn thành', en: 'Completed' },
  REJECTED: { vi: 'Bị từ chối', en: 'Rejected' },
  EXPIRED: { vi: 'Hết hạn', en: 'Expired' },
  FAILED: { vi: 'Lỗi xử lý', en: 'Failed' },
};

export const REASON_CODES: readonly ReviewReasonCode[] = REVIEW_REASON_CODES;

export function reasonLabel(code: string): Bilingual {
  try {
    return reviewReasonLabel(code as ReviewReasonCode);
  } catch {
    return { vi: code, en: code };
  }
}

export function labelOf(table: Record<string, Bilingual>, code: string | null | undefined): string {
  if (!code) return '';
  return table[code] ? pick(table[code]) : code;
}

const TZ = 'Asia/Ho_Chi_Minh';

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: TZ,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** 'YYYY-MM-DD' → dd/mm/yyyy (Vietnamese habit) or kept as is in English. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m || current === 'en') return date;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} ${t('minutes')}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} ${t('hours')} ${minutes % 60} ${t('minutes')}`;
  return `${Math.floor(hours / 24)} ${t('days')} ${hours % 24} ${t('hours')}`;
}
