/// <reference lib="dom" />
/** Interface text: Vietnamese first, English as a toggle (remembered in localStorage). */
import { outcomeReasonLabel } from '../../functions/domain/reviewReasons';
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
  overdueOnly: { vi: 'Chỉ yêu cầu quá hạn xử lý', en: 'Overdue items only' },
  due: { vi: 'Hạn xử lý', en: 'Target date' },
  deadline: { vi: 'Hết hạn xét duyệt', en: 'Review deadline' },
  closedApplicationEnded: { vi: 'Đã đóng vì hồ sơ đã kết thúc', en: 'Closed: the application has ended' },
  pastDeadline: { vi: 'Đã hết hạn xét duyệt', en: 'Review deadline passed' },
  pastDeadlineNote: {
    vi: 'Đã hết hạn xét duyệt: không thể nhận, phê duyệt, từ chối hay giao lại yêu cầu này; hệ thống sẽ đóng hồ sơ ở trạng thái hết hạn.',
    en: 'Review deadline passed: this item can no longer be claimed, approved, rejected or reassigned; the application will end as expired.',
  },
  pastDeadlineDecision: { vi: 'Đã hết hạn xét duyệt: không còn phê duyệt hay từ chối được.', en: 'Review deadline passed: it can no longer be approved or rejected.' },
  age: { vi: 'Đã chờ', en: 'Waiting' },
  holder: { vi: 'Người xử lý', en: 'Held by' },
  nobody: { vi: '— chưa ai nhận —', en: '— nobody —' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  escalated: { vi: 'Đã chuyển lãnh đạo', en: 'Escalated' },
  escalatedAtLabel: { vi: 'Chuyển lãnh đạo lúc', en: 'Escalated at' },
  empty: { vi: 'Không có yêu cầu nào phù hợp.', en: 'No matching items.' },
  decidedAt: { vi: 'Quyết định lúc', en: 'Decided at' },
  expiredAt: { vi: 'Hết hạn lúc', en: 'Expired at' },
  expiredAuto: { vi: 'Tự động (quá hạn xét duyệt)', en: 'Automatic (deadline passed)' },
  heldWhenExpired: { vi: 'đang do {who} giữ', en: 'held by {who}' },
  loadMore: { vi: 'Tải thêm', en: 'Load more' },
  shownSome: { vi: 'Đang hiện {n} yêu cầu đầu tiên; còn yêu cầu khác — bấm “Tải thêm”.', en: 'Showing the first {n} items; there are more — press “Load more”.' },
  shownAll: { vi: 'Đang hiện tất cả {n} yêu cầu phù hợp.', en: 'Showing all {n} matching items.' },
  shownNone: { vi: 'Không có yêu cầu nào phù hợp.', en: 'No matching items.' },
  lastDays: { vi: '{n} ngày', en: '{n} days' },
  countsWindowNote: { vi: 'Số đã phê duyệt, từ chối, hết hạn tính trong {n} ngày gần nhất.', en: 'Approved, rejected and expired are counted over the last {n} days.' },
  countsTitle: { vi: 'Số lượng theo trạng thái', en: 'Counts by status' },
  itemsShown: { vi: 'yêu cầu', en: 'items' },
  open: { vi: 'Mở', en: 'Open' },
  back: { vi: 'Quay lại hàng đợi', en: 'Back to the queue' },
  itemId: { vi: 'Mã yêu cầu', en: 'Item' },
  applicationId: { vi: 'Mã hồ sơ', en: 'Application' },
  openedAt: { vi: 'Mở lúc', en: 'Opened' },
  subject: { vi: 'Người được xác minh', en: 'Subject' },
  HEAD_OF_HOUSEHOLD: { vi: 'Chủ hộ', en: 'Head of household' },
  APPLICANT: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
  claim: { vi: 'Nhận xử lý', en: 'Claim' },
  release: { vi: 'Trả lại hàng đợi', en: 'Release' },
  reveal: { vi: 'Hiện số định danh đầy đủ', en: 'Reveal personal ID' },
  revealNote: { vi: 'Việc xem số định danh đầy đủ được ghi vào nhật ký, kèm mục đích.', en: 'Revealing the full personal ID is recorded in the audit trail, with its purpose.' },
  revealed: { vi: 'Đã hiện số định danh (đã ghi nhật ký)', en: 'Personal ID revealed (recorded)' },
  revealPurpose: { vi: 'Mục đích xem số định danh (bắt buộc, ghi vào nhật ký)', en: 'Purpose of viewing the personal ID (required, recorded)' },
  revealPurposePlaceholder: { vi: 'VD: Đối chiếu với CCCD bản gốc công dân xuất trình', en: 'e.g. Compare with the original ID card the citizen showed' },
  revealPurposeShort: { vi: 'Mục đích cần ít nhất 3 ký tự.', en: 'The purpose needs at least 3 characters.' },
  revealConfirm: { vi: 'Xác nhận và hiện số', en: 'Confirm and reveal' },
  cancel: { vi: 'Huỷ', en: 'Cancel' },
  reassign: { vi: 'Giao cho cán bộ', en: 'Reassign to' },
  reassignButton: { vi: 'Giao việc', en: 'Reassign' },
  chooseOfficer: { vi: '— chọn cán bộ —', en: '— choose an officer —' },
  currentHolder: { vi: 'đang giữ', en: 'current holder' },
  officersFailed: { vi: 'Không tải được danh sách cán bộ của tỉnh.', en: 'Could not load the province’s officers.' },
  officersEmpty: { vi: 'Chưa có cán bộ nào của tỉnh đăng nhập vào hệ thống.', en: 'No officer of the province has signed in yet.' },
  officersHint: { vi: 'Chỉ gồm cán bộ của tỉnh đã từng đăng nhập vào trang xử lý hồ sơ.', en: 'Only officers of the province who have signed in to the console.' },
  unknownOfficer: {
    vi: 'Không giao được: cán bộ này không có trong danh sách cán bộ của tỉnh (chưa từng đăng nhập). Danh sách đã được tải lại.',
    en: 'Not reassigned: this officer is not a known officer of the province (never signed in). The list has been reloaded.',
  },
  lastSeen: { vi: 'đăng nhập gần nhất', en: 'last seen' },
  comparison: { vi: 'Thông tin kê khai và Cơ sở dữ liệu quốc gia về dân cư', en: 'Declared data and the national population database' },
  field: { vi: 'Thông tin', en: 'Field' },
  submitted: { vi: 'Công dân kê khai', en: 'Citizen declared' },
  registry: { vi: 'CSDLQG về dân cư', en: 'Population registry' },
  result: { vi: 'Đối chiếu', en: 'Result' },
  match: { vi: 'Khớp', en: 'Matches' },
  differs: { vi: 'Khác', en: 'Differs' },
  notInRegistry: { vi: 'Không có trong CSDLQG', en: 'Not in the registry' },
  notDeclared: { vi: '(không kê khai)', en: '(not declared)' },
  notChecked: { vi: 'Chưa đối chiếu', en: 'Not checked' },
  verifiedEarlier: { vi: 'Đã xác minh ở bước trước', en: 'Verified in an earlier step' },
  household: { vi: 'Hộ gia đình', en: 'Household' },
  workingTimeLeft: { vi: 'còn {d} làm việc', en: '{d} of working time left' },
  calendarTimeLeft: { vi: 'còn {d}', en: '{d} left' },
  basisWorkingTime: {
    vi: 'Tính theo thời gian làm việc: {target} giờ làm việc đến hạn xử lý, {deadline} giờ làm việc đến hết hạn xét duyệt; không tính ngoài giờ hành chính, thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết.',
    en: 'Counted in working time: {target} working hours to the target, {deadline} working hours to the deadline; evenings, weekends and public holidays (Tết included) do not count.',
  },
  basisCalendarDays: {
    vi: 'Chưa có lịch nghỉ lễ, Tết năm {year}: thời hạn được tính theo ngày dương lịch (mỗi 8 giờ làm việc là một ngày).',
    en: 'No public-holiday data for {year} yet: the times are counted in calendar days (one day per 8 working hours).',
  },
  basisWorkingTimeShort: {
    vi: 'Tính theo thời gian làm việc: không tính ngoài giờ hành chính, thứ Bảy, Chủ nhật và ngày nghỉ lễ, Tết.',
    en: 'Counted in working time: evenings, weekends and public holidays (Tết included) do not count.',
  },
  basisCalendar: { vi: 'Thời hạn tính theo giờ dương lịch.', en: 'The times are counted in calendar hours.' },
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
  evidenceNoteRead: { vi: 'Căn cứ xác minh', en: 'Evidence note' },
  correctionsRead: { vi: 'Thông tin đã hiệu chỉnh', en: 'Corrected identity' },
  rejectReasonRead: { vi: 'Lý do từ chối', en: 'Reason for rejection' },
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
  amounts: { vi: 'Số tiền và cách tính', en: 'Amounts and how they were computed' },
  calculationSteps: { vi: 'Các bước tính', en: 'Calculation steps' },
  stepFigure: { vi: 'Yếu tố', en: 'Figure' },
  stepValue: { vi: 'Giá trị', en: 'Value' },
  stepInstrument: { vi: 'Căn cứ', en: 'Legal basis' },
  notApplied: { vi: 'không áp dụng', en: 'not applied' },
  audit: { vi: 'Nhật ký thao tác', en: 'Audit trail' },
  when: { vi: 'Thời điểm', en: 'When' },
  who: { vi: 'Người thực hiện', en: 'Who' },
  what: { vi: 'Thao tác', en: 'Action' },
  beforeAfter: { vi: 'Trước → Sau', en: 'Before → After' },
  event: { vi: 'Sự kiện', en: 'Event' },
  exportTitle: { vi: 'Xuất nhật ký thao tác (CSV)', en: 'Export the audit trail (CSV)' },
  exportHint: { vi: 'Theo giờ Việt Nam; gồm mọi thao tác trên các yêu cầu của tỉnh.', en: 'Vietnam time; every action on the province’s items.' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  download: { vi: 'Tải tệp CSV', en: 'Download CSV' },
  exported: { vi: 'Đã xuất {n} dòng nhật ký.', en: 'Exported {n} audit rows.' },
  supervisorTitle: { vi: 'Tổng hợp cho lãnh đạo', en: 'Supervisor overview' },
  recheckRegistry: { vi: 'Kiểm tra lại với CSDLQG về dân cư', en: 'Re-check with the population registry' },
  recheckResumed: { vi: 'CSDLQG đã xác minh: hồ sơ được tiếp tục xử lý.', en: 'The registry verified it: the application goes on.' },
  recheckNewReason: { vi: 'CSDLQG đã phản hồi với lý do mới: {reason}.', en: 'The registry answered with a new reason: {reason}.' },
  recheckStillUnavailable: { vi: 'CSDLQG về dân cư vẫn chưa phản hồi; chưa có gì thay đổi.', en: 'The registry still does not answer; nothing changed.' },
  recheckChanged: { vi: 'Yêu cầu vừa được người khác xử lý; không có gì thay đổi.', en: 'Someone acted on the item meanwhile; nothing changed.' },
  bulkRecheckTitle: { vi: 'Kiểm tra lại khi CSDLQG về dân cư hoạt động trở lại', en: 'Re-check once the population registry is back' },
  bulkRecheckHint: {
    vi: 'Kiểm tra lại mọi yêu cầu đang chờ vì CSDLQG không phản hồi: hồ sơ đạt được tiếp tục xử lý, hồ sơ còn lại giữ lý do mới.',
    en: 'Re-check every item waiting because the registry did not answer: those that pass go on, the others keep their new reason.',
  },
  bulkRecheck: { vi: 'Kiểm tra lại tất cả', en: 'Re-check all' },
  bulkRecheckDone: {
    vi: 'Đã kiểm tra {checked} yêu cầu: {resumed} hồ sơ được tiếp tục, {newReason} có lý do mới, {still} vẫn chờ CSDLQG.',
    en: 'Checked {checked} items: {resumed} went on, {newReason} have a new reason, {still} still wait for the registry.',
  },
  bulkRecheckMore: { vi: 'Còn yêu cầu chưa kiểm tra: bấm lại để tiếp tục.', en: 'More items are left: press again to go on.' },
  refundsTitle: { vi: 'Khoản thu phải hoàn trả', en: 'Refunds due' },
  refundsHint: {
    vi: 'Tiền đã thu nhưng không gia hạn được thẻ (quá hạn, hồ sơ đã kết thúc, thanh toán trùng, thẻ đã thay đổi…).',
    en: 'Money received that bought nothing (late, application ended, duplicate payment, card changed…).',
  },
  refundsTotal: { vi: '{n} khoản, tổng {amount}', en: '{n} refunds, total {amount}' },
  gatewayReference: { vi: 'Mã giao dịch cổng thanh toán', en: 'Gateway reference' },
  application: { vi: 'Hồ sơ', en: 'Application' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  receivedAt: { vi: 'Nhận lúc', en: 'Received' },
  reconciliationTitle: { vi: 'Đối soát thanh toán theo ngày (CSV)', en: 'Daily payment reconciliation (CSV)' },
  day: { vi: 'Ngày', en: 'Day' },
  oldestOpen: { vi: 'Yêu cầu mở lâu nhất', en: 'Oldest open item' },
  none: { vi: 'Không có', en: 'None' },
  perReason: { vi: 'Theo lý do', en: 'By reason' },
  perStaff: { vi: 'Theo cán bộ', en: 'By officer' },
  officer: { vi: 'Cán bộ', en: 'Officer' },
  holding: { vi: 'Đang xử lý', en: 'Holding' },
  approved30: { vi: 'Phê duyệt (30 ngày)', en: 'Approved (30 days)' },
  rejected30: { vi: 'Từ chối (30 ngày)', en: 'Rejected (30 days)' },
  system: { vi: 'Hệ thống', en: 'System' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  identityChange: { vi: 'Danh tính kê khai → sau hiệu chỉnh', en: 'Declared identity → corrected' },
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
  inTime: { vi: 'còn {d}', en: 'in {d}' },
  agoTime: { vi: 'quá {d}', en: '{d} ago' },
  citizen: { vi: 'Công dân', en: 'Citizen' },
  searchTitle: { vi: 'Tìm yêu cầu xem xét', en: 'Find a review item' },
  searchLabel: { vi: 'Mã hồ sơ, mã yêu cầu, số định danh (đủ 12 số) hoặc họ tên', en: 'Application id, item id, personal ID (all 12 digits) or name' },
  searchHint: { vi: 'Tên không cần gõ dấu; chỉ tìm trong tỉnh, thành phố của bạn.', en: 'Names without diacritics are fine; only your province is searched.' },
  searchButton: { vi: 'Tìm', en: 'Search' },
  searchClear: { vi: 'Xóa kết quả', en: 'Clear results' },
  searchNone: { vi: 'Không tìm thấy yêu cầu nào phù hợp với “{q}”.', en: 'No review item matches “{q}”.' },
  searchFound: { vi: 'Tìm thấy {n} yêu cầu phù hợp với “{q}”.', en: '{n} review item(s) match “{q}”.' },
  searchTruncated: { vi: 'Còn kết quả khác: vui lòng nhập cụ thể hơn.', en: 'There are more matches: please be more specific.' },
  searching: { vi: 'Đang tìm…', en: 'Searching…' },
  noticesTitle: { vi: 'Thông báo: yêu cầu quá hạn xử lý', en: 'Notices: overdue review items' },
  noticesHint: { vi: 'Các yêu cầu đã quá hạn xử lý và được chuyển lãnh đạo, mới nhất trước.', en: 'Items past their target time, escalated to supervisors, newest first.' },
  noticesNone: { vi: 'Chưa có thông báo nào.', en: 'No notices yet.' },
  noticeAge: { vi: 'đã mở {h} giờ', en: 'open for {h} h' },
} satisfies Record<string, Bilingual>;

export type TextKey = keyof typeof T;

export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  let text = pick(T[key]);
  for (const [k, v] of Object.entries(vars)) text = text.replace(`{${k}}`, String(v));
  return text;
}

/** Outcome of one field check (domain/identity/fieldChecks.ts FieldCheckOutcome). */
export const FIELD_OUTCOME_LABELS: Record<string, Bilingual> = {
  MATCH: { vi: '✓ Khớp', en: '✓ Matches' },
  DIFFERS: { vi: '✗ Khác', en: '✗ Differs' },
  NOT_DECLARED: { vi: 'Không kê khai', en: 'Not declared' },
  NOT_FOUND: { vi: '✗ Không có trong CSDLQG', en: '✗ Not in the registry' },
  INCONSISTENT: { vi: '✗ Không phù hợp với số định danh', en: '✗ Inconsistent with the personal ID' },
  NOT_CHECKED: { vi: '— Chưa đối chiếu', en: '— Not checked' },
  VERIFIED_EARLIER: { vi: '✓ Đã xác minh', en: '✓ Verified' },
  FOUND: { vi: '✓ Có trong CSDLQG', en: '✓ In the registry' },
};

export const STATUS_LABELS: Record<string, Bilingual> = {
  OPEN: { vi: 'Chờ xử lý', en: 'Open' },
  CLAIMED: { vi: 'Đang xử lý', en: 'Claimed' },
  APPROVED: { vi: 'Đã phê duyệt', en: 'Approved' },
  REJECTED: { vi: 'Đã từ chối', en: 'Rejected' },
  EXPIRED: { vi: 'Hết hạn', en: 'Expired' },
};

/** The amounts of an application the item's page explains (reviewConsole.ts ConsoleAmount.kind). */
export const AMOUNT_LABELS: Record<string, Bilingual> = {
  HOUSEHOLD_MEMBER: { vi: 'Số tiền đóng của thành viên', en: "Member's contribution" },
  HOUSEHOLD_TOTAL: { vi: 'Tổng số tiền đóng', en: 'Total contribution' },
  LUMP_SUM: { vi: 'Số tiền hưởng BHXH một lần', en: 'Lump-sum amount' },
  UNEMPLOYMENT_BENEFIT: { vi: 'Trợ cấp thất nghiệp ước tính mỗi tháng', en: 'Estimated monthly unemployment benefit' },
};

/** The figures of an explanation (domain/explanations/types.ts ExplanationStepCode). */
export const STEP_LABELS: Record<string, Bilingual> = {
  BASE_SALARY: { vi: 'Mức lương cơ sở', en: 'Base salary' },
  CONTRIBUTION_RATE: { vi: 'Tỷ lệ đóng', en: 'Contribution rate' },
  LADDER_SHARE: { vi: 'Mức đóng so với người thứ nhất', en: "Share of the first member's amount" },
  PROVINCIAL_SUPPORT: { vi: 'Ngân sách địa phương hỗ trợ', en: 'Provincial support' },
  MONTHLY_AMOUNT: { vi: 'Số tiền mỗi tháng', en: 'Monthly amount' },
  MONTHS: { vi: 'Số tháng đóng', en: 'Months paid' },
  REVALUED_SALARY: { vi: 'Tiền lương đã điều chỉnh', en: 'Revalued salaries' },
  TOTAL_MONTHS: { vi: 'Tổng số tháng đóng', en: 'Total months' },
  AVERAGE_SALARY: { vi: 'Bình quân tiền lương tháng', en: 'Average monthly salary' },
  YEARS_BEFORE_2014: { vi: 'Số năm đóng trước năm 2014', en: 'Years before 2014' },
  YEARS_FROM_2014: { vi: 'Số năm đóng từ năm 2014', en: 'Years from 2014' },
  BENEFIT_MONTHS: { vi: 'Số tháng lương được hưởng', en: 'Months of salary due' },
  CONTRIBUTIONS_PAID: { vi: 'Số tiền đã đóng', en: 'Contributions paid' },
  UNDER_ONE_YEAR_CAP: { vi: 'Mức tối đa (dưới một năm)', en: 'Cap (under one year)' },
  GROSS_AMOUNT: { vi: 'Mức hưởng', en: 'Amount before deductions' },
  STATE_SUPPORT_DEDUCTED: { vi: 'Nhà nước hỗ trợ đóng tự nguyện (trừ)', en: 'State support deducted' },
  LAST_MONTHS_AVERAGE: { vi: 'Bình quân tiền lương các tháng cuối', en: 'Average of the last months' },
  BENEFIT_RATE: { vi: 'Tỷ lệ hưởng', en: 'Benefit rate' },
  UNCAPPED_BENEFIT: { vi: 'Mức hưởng trước mức tối đa', en: 'Benefit before the cap' },
  REGIONAL_MINIMUM_WAGE: { vi: 'Lương tối thiểu vùng', en: 'Regional minimum wage' },
  BENEFIT_CAP: { vi: 'Mức tối đa', en: 'Cap' },
  BENEFIT_DURATION: { vi: 'Số tháng hưởng', en: 'Months of benefit' },
  RESULT: { vi: 'Kết quả', en: 'Result' },
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
  RESUMED: { vi: 'Đã chuyển quyết định cho quy trình', en: 'Decision passed to the workflow' },
  RESUME_SKIPPED: { vi: 'Quy trình không còn chờ quyết định', en: 'The workflow was no longer waiting' },
  EXPIRED: { vi: 'Hết hạn xét duyệt', en: 'Expired' },
  CLOSED: { vi: 'Đóng do hồ sơ đã kết thúc', en: 'Closed: the application has ended' },
  REVEALED_PERSONAL_ID: { vi: 'Xem số định danh đầy đủ', en: 'Revealed the personal ID' },
  ESCALATED: { vi: 'Chuyển lãnh đạo (quá hạn xử lý)', en: 'Escalated to supervisors (past the target date)' },
  SUPERSEDED: { vi: 'Được thay bằng yêu cầu mới', en: 'Replaced by a new item' },
  RECHECKED: { vi: 'Kiểm tra lại với CSDLQG về dân cư', en: 'Re-checked with the population registry' },
};

/** Every timeline event the workflows write (functions/**: transition events). */
export const EVENT_LABELS: Record<string, Bilingual> = {
  RECEIVED: { vi: 'Tiếp nhận hồ sơ', en: 'Application received' },
  WORKFLOW_STARTED: { vi: 'Bắt đầu xử lý', en: 'Processing started' },
  IDENTITY_CHECK_STARTED: { vi: 'Xác minh danh tính với CSDLQG về dân cư', en: 'Identity check against the registry' },
  REVIEW_OPENED: { vi: 'Chuyển cán bộ xem xét', en: 'Sent to staff review' },
  REVIEW_DECIDED: { vi: 'Cán bộ đã quyết định', en: 'Staff decided' },
  AWAITING_PAYMENT: { vi: 'Chờ công dân thanh toán', en: 'Waiting for the payment' },
  PAYMENT_WAIT_RENEWED: { vi: 'Tiếp tục chờ thanh toán', en: 'Still waiting for the payment' },
  PAYMENT_FORWARDED: { vi: 'Đã chuyển xác nhận thanh toán cho quy trình', en: 'Payment confirmation passed on' },
  PAYMENT_RECEIVED: { vi: 'Đã nhận thanh toán', en: 'Payment received' },
  COMPLETED: { vi: 'Hoàn thành', en: 'Completed' },
  SETTLED: { vi: 'Đã lập lệnh chi trả', en: 'Payment order issued' },
  OUTCOME_RECORDED: { vi: 'Ghi nhận kết quả', en: 'Outcome recorded' },
  WAITING_FOR_RULE_DATA: { vi: 'Chờ dữ liệu quy định để tính mức hưởng', en: 'Waiting for the rule data' },
  WAITING_FOR_REGISTRY: { vi: 'Chờ CSDLQG về dân cư phản hồi', en: 'Waiting for the population registry' },
  REGISTRY_RETRY_SCHEDULED: { vi: 'Hẹn thử lại với CSDLQG về dân cư', en: 'Registry retry scheduled' },
  REGISTRY_AVAILABLE_AGAIN: { vi: 'CSDLQG về dân cư đã phản hồi trở lại', en: 'The registry answers again' },
};

/** Names of the values found in timeline and audit details (never shown as raw keys). */
export const DETAIL_LABELS: Record<string, Bilingual> = {
  reviewItemId: { vi: 'Mã yêu cầu', en: 'Item' },
  attempt: { vi: 'Lần thử lại', en: 'Retry' },
  nextAttemptAt: { vi: 'Thử lại lúc', en: 'Next attempt at' },
  until: { vi: 'Chờ đến', en: 'Waits until' },
  registryRecheck: { vi: 'Kết quả kiểm tra lại', en: 'Re-check result' },
  reasonCode: { vi: 'Lý do', en: 'Reason' },
  dueAt: { vi: 'Hết hạn xét duyệt', en: 'Review deadline' },
  escalateAt: { vi: 'Hạn xử lý', en: 'Target date' },
  subjectRole: { vi: 'Người được xác minh', en: 'Subject' },
  checkKind: { vi: 'Nội dung xác minh', en: 'Check' },
  decision: { vi: 'Quyết định', en: 'Decision' },
  total: { vi: 'Số tiền phải đóng', en: 'Amount due' },
  validThrough: { vi: 'Thẻ có giá trị đến', en: 'Cards valid through' },
  paymentDueAt: { vi: 'Hạn thanh toán', en: 'Payment due' },
  paymentReference: { vi: 'Mã giao dịch', en: 'Payment reference' },
  amount: { vi: 'Số tiền', en: 'Amount' },
  paymentDate: { vi: 'Ngày thanh toán', en: 'Payment date' },
  cardsRenewed: { vi: 'Số thẻ được gia hạn', en: 'Cards renewed' },
  eligible: { vi: 'Đủ điều kiện', en: 'Eligible' },
  totalUiMonths: { vi: 'Số tháng đóng BHTN', en: 'Unemployment insurance months' },
  estimatedMonthlyBenefit: { vi: 'Trợ cấp ước tính mỗi tháng', en: 'Estimated monthly benefit' },
  paymentOrderId: { vi: 'Mã lệnh chi', en: 'Payment order' },
  corrections: { vi: 'Thông tin hiệu chỉnh', en: 'Corrections' },
  identity: { vi: 'Danh tính', en: 'Identity' },
  reason: { vi: 'Lý do', en: 'Reason' },
  evidenceNote: { vi: 'Căn cứ xác minh', en: 'Evidence note' },
  note: { vi: 'Ghi chú', en: 'Note' },
  purpose: { vi: 'Mục đích', en: 'Purpose' },
  status: { vi: 'Trạng thái', en: 'Status' },
  claimedBy: { vi: 'Người xử lý', en: 'Held by' },
  escalated: { vi: 'Chuyển lãnh đạo', en: 'Escalated' },
  alreadyStarted: { vi: 'Đã bắt đầu từ trước', en: 'Already started' },
  personalId: { vi: 'Số định danh cá nhân', en: 'Personal ID' },
  fullName: { vi: 'Họ và tên', en: 'Full name' },
  dateOfBirth: { vi: 'Ngày sinh', en: 'Date of birth' },
  sex: { vi: 'Giới tính', en: 'Sex' },
  toStaffId: { vi: 'Giao cho', en: 'Assigned to' },
  fromStaffId: { vi: 'Từ cán bộ', en: 'From' },
  supersededBy: { vi: 'Yêu cầu mới', en: 'New item' },
  settledFrom: { vi: 'Chi trả từ tháng', en: 'Paid out from' },
  settledThrough: { vi: 'đến tháng', en: 'through' },
  missing: { vi: 'Còn thiếu', en: 'Missing' },
  escalationReason: { vi: 'Lý do chuyển', en: 'Escalated because' },
};

/** Coded values found in details. */
export const VALUE_LABELS: Record<string, Record<string, Bilingual>> = {
  subjectRole: {
    HEAD_OF_HOUSEHOLD: { vi: 'Chủ hộ', en: 'Head of household' },
    APPLICANT: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
  },
  checkKind: {
    PERSON: { vi: 'Thông tin cá nhân', en: 'Personal details' },
    HOUSEHOLD_MEMBERS: { vi: 'Thành viên hộ gia đình', en: 'Household members' },
  },
  decision: {
    APPROVE: { vi: 'Phê duyệt', en: 'Approve' },
    REJECT: { vi: 'Từ chối', en: 'Reject' },
  },
  sex: {
    MALE: { vi: 'Nam', en: 'Male' },
    FEMALE: { vi: 'Nữ', en: 'Female' },
  },
  /** ESCALATED audit rows: why the item was escalated. */
  escalationReason: {
    AGE: { vi: 'Quá hạn xử lý', en: 'Past the target date' },
    PAST_DUE: { vi: 'Quá hạn xét duyệt', en: 'Past the review deadline' },
  },
};

/** Relation to the head as the registry records it. */
export const RELATION_LABELS: Record<string, Bilingual> = {
  CHU_HO: { vi: 'Chủ hộ', en: 'Head' },
  VO: { vi: 'Vợ', en: 'Wife' },
  CHONG: { vi: 'Chồng', en: 'Husband' },
  CON: { vi: 'Con', en: 'Child' },
  CON_DAU: { vi: 'Con dâu', en: 'Daughter-in-law' },
  CON_RE: { vi: 'Con rể', en: 'Son-in-law' },
  CHA: { vi: 'Cha', en: 'Father' },
  BO: { vi: 'Bố', en: 'Father' },
  ME: { vi: 'Mẹ', en: 'Mother' },
  ONG: { vi: 'Ông', en: 'Grandfather' },
  BA: { vi: 'Bà', en: 'Grandmother' },
  CHAU: { vi: 'Cháu', en: 'Grandchild' },
  ANH: { vi: 'Anh', en: 'Brother' },
  CHI: { vi: 'Chị', en: 'Sister' },
  EM: { vi: 'Em', en: 'Younger sibling' },
  KHAC: { vi: 'Khác', en: 'Other' },
};

export const APPLICATION_STATUS_LABELS: Record<string, Bilingual> = {
  RECEIVED: { vi: 'Đã tiếp nhận', en: 'Received' },
  VERIFYING: { vi: 'Đang xác minh', en: 'Verifying' },
  WAITING_FOR_REGISTRY: { vi: 'Chờ CSDLQG về dân cư phản hồi', en: 'Waiting for the population registry' },
  IN_REVIEW: { vi: 'Chờ cán bộ xem xét', en: 'In review' },
  WAITING_FOR_RULE_DATA: { vi: 'Chờ văn bản quy định hệ số điều chỉnh', en: 'Waiting for the adjustment table to be published' },
  AWAITING_PAYMENT: { vi: 'Chờ thanh toán', en: 'Awaiting payment' },
  COMPLETED: { vi: 'Hoàn thành', en: 'Completed' },
  REJECTED: { vi: 'Bị từ chối', en: 'Rejected' },
  EXPIRED: { vi: 'Hết hạn', en: 'Expired' },
  FAILED: { vi: 'Lỗi xử lý', en: 'Failed' },
};

export const REASON_CODES: readonly ReviewReasonCode[] = REVIEW_REASON_CODES;

/** A review reason code, or a terminal reason the workflow recorded (REVIEW_DEADLINE_PASSED …). */
export function reasonLabel(code: string): Bilingual {
  return outcomeReasonLabel(code);
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

/** Working time as hours and minutes: "6 giờ", "5 giờ 30 phút" (never turned into days: a working day is 8 h). */
export function formatWorkingDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} ${t('minutes')}`;
  return rest ? `${hours} ${t('hours')} ${rest} ${t('minutes')}` : `${hours} ${t('hours')}`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} ${t('minutes')}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} ${t('hours')} ${minutes % 60} ${t('minutes')}`;
  return `${Math.floor(hours / 24)} ${t('days')} ${hours % 24} ${t('hours')}`;
}

/** Đồng, grouped the Vietnamese way (2.322.540 ₫). */
export function formatMoney(amount: number): string {
  return `${new Intl.NumberFormat(current === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 0 }).format(amount)} ₫`;
}

/** A short relative time: "còn 3 giờ 5 phút" / "quá 2 ngày 1 giờ". */
export function formatRelative(ms: number): string {
  return ms >= 0 ? t('inTime', { d: formatDuration(ms) }) : t('agoTime', { d: formatDuration(-ms) });
}

/** 'YYYY-MM' → MM/yyyy (Vietnamese) or kept as is in English. */
export function formatMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || current === 'en') return month;
  return `${m[2]}/${m[1]}`;
}

/** What a supervisor's registry re-check of one item did (POST /v1/review-items/{itemId}/recheck-registry). */
export function recheckMessage(outcome: string, reasonCode: string): string {
  if (outcome === 'RESUMED') return t('recheckResumed');
  if (outcome === 'NEW_REASON') return t('recheckNewReason', { reason: pick(reasonLabel(reasonCode)) });
  if (outcome === 'STILL_UNAVAILABLE') return t('recheckStillUnavailable');
  return t('recheckChanged');
}
