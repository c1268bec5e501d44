/**
 * Review queue services (docs/design.md): open (workflow step), list / get / claim / resolve (staff API),
 * resume (delivering a decision to the waiting workflow), expire (RecordOutcome).
 *
 * Life of an item:
 *   OPEN ──claim──▶ CLAIMED ──resolve──▶ APPROVED | REJECTED (resume PENDING) ──SendTaskSuccess──▶ resume DONE
 *     └────────────────┴──── the application ends (RecordOutcome, or ExecutionEnded) ──▶ EXPIRED (closedReason
 *                                                   unless it was the review deadline)
 *
 * Decisions are never lost: resolving writes the decision (item, audit row, application timeline) in ONE
 * transaction with resume PENDING *before* calling Step Functions. If SendTaskSuccess keeps failing, the item
 * stays PENDING and the scheduled sweeper (resumePendingDecisions) delivers it later. Finding those items needs
 * no scan and no extra index: their GSI key is "<STATUS>#PENDING#<decidedAt>" (see reviewItemsRepository.ts).
 *
 * The decision JSON sent to the workflow (`$.review` in identity-verification.asl.json) is a
 * ReviewDecisionPayload:
 *   { decision: 'APPROVE'|'REJECT', reviewItemId, decidedBy, decidedAt, corrections: {…}|null,
 *     reason: string|null, evidenceNote: string|null, reviewedReasonCode }
 * `reviewedReasonCode` is the item's reason code: the re-check accepts exactly that problem.
 *
 * Task tokens are never logged and never leave the server.
 */
import { hashedId } from '../shared/ids';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../adapters/dynamo';
import { stepFunctions } from '../adapters/stepFunctions';
import { applicationsRepository, isTerminal } from '../adapters/applicationsRepository';
import { config } from '../shared/config';
import { addSeconds, now, nowIso, vietnamDate } from '../shared/clock';
import { ConflictError, TransientError, ValidationError } from '../shared/errors';
import { logger, maskPersonalId } from '../shared/logger';
import type { StaffPrincipal } from '../shared/http';
import { isValidCalendarDate } from '../domain/dates';
import { isPersonalIdFormat, precheckPersonalId } from '../domain/identity/personalId';
import type {
  ApplicationStatus,
  CheckKind,
  IdentityClaim,
  ReviewDecisionPayload,
  ReviewReasonCode,
  ServiceName,
  SubjectRole,
  VerifiedBy,
} from '../domain/types';
import {
  ITEM_SK,
  auditPut,
  cancellationCodes,
  getItem,
  getItems,
  itemUpdate,
  listAudit,
  newItemPut,
  queryQueue,
  queueKeys,
  toAuditView,
  toStaffView,
  transact,
  type AuditView,
  type ReviewItemRecord,
  type ReviewItemStaffView,
  type ReviewItemStatus,
  type TransactItem,
} from './reviewItemsRepository';
import {
  applicationClosedConflict,
  claimedByOtherConflict,
  deadlineConflict,
  deadlinePassed,
  isActive,
  loadItemForStaff,
  notClaimedConflict,
  escalateAtOf,
  resolvedConflict,
  versionConflict,
} from './reviewPolicy';
import type { ReviewWindowBasis } from '../domain/reviewWindow';
import { fieldChecks, type FieldCheck, type FieldCheckInput, type RegistryOutage } from '../domain/identity/fieldChecks';

import { searchRowPuts } from './reviewSearch';

export { REVIEW_ITEM_ID_PATTERN } from './reviewItemsRepository';

const SYSTEM = 'system';

// ---------------------------------------------------------------------------------------------------------
// Open (step OpenReviewItem)

export interface OpenReviewItemInput {
  applicationId: string;
  service: ServiceName;
  provinceCode: string;
  checkKind: CheckKind;
  subjectRole: SubjectRole;
  subject: IdentityClaim;
  reasonCode: ReviewReasonCode;
  registrySnapshot: unknown;
  /** The stack's review timeout (REVIEW_TIMEOUT_SECONDS); default config.reviewTimeoutSeconds(). */
  reviewTimeoutSeconds?: number | null;
  /** The window PlanReviewWindow planned (the wait's timeout is its deadline); planned now when absent. */
  reviewWindow?: { basis: ReviewWindowBasis | 'CALENDAR'; dueAt: string; targetAt: string; missingHolidayYear: number | null } | null;
  /** HOUSEHOLD_MEMBERS: who verified the head (the check's context). */
  headVerifiedBy?: VerifiedBy | null;
  /** REGISTRY_UNAVAILABLE: when the registry was last tried and how many times, when the workflow knows it. */
  registryOutage?: RegistryOutage | null;
  taskToken: string;
}

/** 'RV-' + the first 26 characters of base32(sha256(taskToken)): one item per task token, even on retries. */
export function reviewItemIdForToken(taskToken: string): string {
  return hashedId('RV', taskToken);
}

/**
 * Creates the item (OPEN, with the task token) and moves the application to IN_REVIEW, in ONE transaction.
 * A retry (same task token) that finds the item already there is a success. A retried OpenReviewItem task
 * (a new task token: the old one is dead) supersedes the application's previous item in the same transaction,
 * so no orphan item stays in the queue and only the live wait can be decided.
 */
export async function openReviewItem(input: OpenReviewItemInput): Promise<{ itemId: string; created: boolean; dueAt: string }> {
  const itemId = reviewItemIdForToken(input.taskToken);
  const opened = now();
  const createdAt = opened.toISOString();
  // The window PlanReviewWindow planned (the workflow waits until its deadline); without one (a direct caller),
  // the stack's review timeout in calendar time, as before working time.
  let window = input.reviewWindow ?? null;
  if (!window) {
    const timeout = input.reviewTimeoutSeconds && input.reviewTimeoutSeconds > 0 ? input.reviewTimeoutSeconds : config.reviewTimeoutSeconds();
    const due = addSeconds(opened, timeout).toISOString();
    window = { basis: 'CALENDAR', dueAt: due, targetAt: escalateAtOf({ provinceCode: input.provinceCode, createdAt, dueAt: due }), missingHolidayYear: null };
  }
  const dueAt = window.dueAt;
  const escalateAt = window.targetAt;
  const application = await applicationsRepository.get(input.applicationId);
  // An outage: the item opens right after the last failed check; when the application waited for the registry
  // (WAITING_FOR_REGISTRY), its checks were the first one and every retry of the wait.
  const waited = application?.waitingForRegistry;
  const registryOutage =
    input.reasonCode === 'REGISTRY_UNAVAILABLE'
      ? input.registryOutage ?? { lastAttemptAt: createdAt, attempts: waited ? waited.attempts + 1 : null }
      : null;
  const item: ReviewItemRecord = {
    itemId,
    sk: ITEM_SK,
    provinceCode: input.provinceCode,
    queueKey: queueKeys.open(dueAt),
    status: 'OPEN',
    service: input.service,
    applicationId: input.applicationId,
    checkKind: input.checkKind,
    subjectRole: input.subjectRole,
    reasonCode: input.reasonCode,
    submitted: input.subject,
    registrySnapshot: input.registrySnapshot ?? null,
    ...(input.headVerifiedBy ? { headVerifiedBy: input.headVerifiedBy } : {}),
    ...(registryOutage ? { registryOutage } : {}),
    // What was checked, field by field, as it stands when the item opens; stored with the personal ID masked (the
    // full one stays in `submitted`, shown only through the audited reveal).
    fieldChecks: storedFieldChecks({
      checkKind: input.checkKind,
      reasonCode: input.reasonCode,
      submitted: input.subject,
      registrySnapshot: input.registrySnapshot ?? null,
      headVerifiedBy: input.headVerifiedBy ?? null,
      registryOutage,
      openedAt: createdAt,
    }),
    createdAt,
    dueAt,
    escalateAt,
    reviewWindow: { basis: window.basis, missingHolidayYear: window.missingHolidayYear ?? null },
    escalationDueAt: escalateAt,
    resume: 'NONE',
    version: 1,
    taskToken: input.taskToken,
  };
  const previousItemId = application?.openReviewItemId ?? null;
  const superseding = previousItemId && previousItemId !== itemId ? await supersedeUpdates(previousItemId, item, createdAt) : [];
  const items: TransactItem[] = [
    newItemPut(item),
    auditPut(item, { at: createdAt, version: 1, action: 'OPENED', by: SYSTEM, detail: { reasonCode: input.reasonCode, dueAt, escalateAt } }),
    applicationsRepository.transitionUpdate(input.applicationId, {
      to: 'IN_REVIEW',
      event: 'REVIEW_OPENED',
      // Which check went to review (since issue 10 no earlier timeline entry names it: the first check of a round
      // writes nothing when the application is already VERIFYING).
      detail: { reviewItemId: itemId, reasonCode: input.reasonCode, dueAt, checkKind: input.checkKind, subjectRole: input.subjectRole },
      set: { openReviewItemId: itemId },
      // WAITING_FOR_REGISTRY: the registry stayed unreachable for the province's whole window.
      remove: ['waitingForRegistry'],
      allowedFrom: ['RECEIVED', 'VERIFYING', 'WAITING_FOR_REGISTRY', 'IN_REVIEW'],
      // Nobody opened or decided another item since we read the application.
      require: { openReviewItemId: previousItemId },
    }),
    ...superseding,
    // The item's search keys (reviewSearch.ts): findable exactly when the item exists.
    ...(await searchRowPuts(item)),
  ];
  try {
    await transact(items);
    if (superseding.length) logger.warn('Review item superseded by a retried wait', { itemId: previousItemId, by: itemId });
    return { itemId, created: true, dueAt };
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[0] === 'ConditionalCheckFailed') {
      const existing = await getItem(itemId);
      if (existing) return { itemId, created: false, dueAt: existing.dueAt };
    }
    if (codes[2] === 'ConditionalCheckFailed') {
      const current = await applicationsRepository.get(input.applicationId);
      if (!current || !['RECEIVED', 'VERIFYING', 'IN_REVIEW'].includes(current.status)) {
        throw new ConflictError(
          'INVALID_STATE',
          'Hồ sơ không ở trạng thái cho phép mở yêu cầu xem xét',
          'The application is not in a state that allows opening a review',
          { applicationId: input.applicationId },
        );
      }
    }
    // A concurrent change (the previous item decided or claimed meanwhile): the workflow's Retry re-reads.
    throw new TransientError(`Opening review item ${itemId} was cancelled (${codes.join(',')})`);
  }
}

/**
 * What an item stores of its field-by-field checks (domain/identity/fieldChecks.ts): computed when it opens and
 * again when a re-check gets the registry's answer, the personal ID masked (the full one stays in `submitted`).
 */
export function storedFieldChecks(input: FieldCheckInput): FieldCheck[] {
  return fieldChecks(input).map((row) =>
    row.field === 'personalId' ? { ...row, declared: row.declared && maskPersonalId(row.declared), registry: row.registry && maskPersonalId(row.registry) } : row,
  );
}

/** Closes the application's previous, still active item (EXPIRED, supersededBy) with its audit row. */
async function supersedeUpdates(previousItemId: string, next: ReviewItemRecord, at: string): Promise<TransactItem[]> {
  const previous = await getItem(previousItemId);
  if (!previous || previous.applicationId !== next.applicationId || !isActive(previous.status)) return [];
  return [
    itemUpdate({
      itemId: previous.itemId,
      expectedVersion: previous.version,
      set: { status: 'EXPIRED', queueKey: queueKeys.expired(previous.dueAt), expiredAt: at, supersededBy: next.itemId },
      remove: ['escalationDueAt'],
      require: { status: ['OPEN', 'CLAIMED'] },
    }),
    auditPut(previous, {
      at,
      version: previous.version + 1,
      action: 'SUPERSEDED',
      by: SYSTEM,
      detail: { supersededBy: next.itemId, before: { status: previous.status }, after: { status: 'EXPIRED' } },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Staff reads

export interface ListFilters {
  status?: ReviewItemStatus;
  reason?: ReviewReasonCode;
  service?: ServiceName;
  cursor?: string | null;
  limit?: number;
}

export async function listReviewItems(
  principal: StaffPrincipal,
  filters: ListFilters = {},
): Promise<{ items: ReviewItemStaffView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? 20), 1), 100);
  const page = await queryQueue({
    provinceCode: principal.provinceCode,
    prefix: filters.status ? queueKeys.statusPrefix(filters.status) : undefined,
    reasonCode: filters.reason,
    service: filters.service,
    limit,
    cursor: filters.cursor ?? null,
  });
  // The index holds no personal data: the page's items are read in full by key.
  const items = await getItems(page.items.map((entry) => entry.itemId));
  const today = vietnamDate();
  return { items: items.map((item) => toStaffView(item, { today })), nextCursor: page.nextCursor };
}


// The officers' names of an item (its holder's too) come with its audit trail (GET …/audit, officerNames): kept out
// of ReviewItemsApi, whose bundle is at its 400 KB budget.
export async function getReviewItem(
  principal: StaffPrincipal,
  itemId: string,
): Promise<ReviewItemStaffView & { history: AuditView[] }> {
  const item = await loadItemForStaff(principal, itemId);
  const history = await listAudit(itemId);
  return { ...toStaffView(item, { today: vietnamDate() }), history: history.map((row) => toAuditView(row)) };
}

// ---------------------------------------------------------------------------------------------------------
// Claim

/** OPEN → CLAIMED by this officer. Claiming again by the same officer returns the item unchanged. */
export async function claimReviewItem(
  principal: StaffPrincipal,
  itemId: string,
  expectedVersion?: number,
): Promise<ReviewItemStaffView> {
  const item = await loadItemForStaff(principal, itemId);
  if (item.status === 'CLAIMED' && item.claimedBy === principal.staffId) return toStaffView(item, { today: vietnamDate() });
  if (item.status === 'CLAIMED') throw claimedByOtherConflict();
  if (item.status !== 'OPEN') throw resolvedConflict(item);
  if (expectedVersion !== undefined && expectedVersion !== item.version) throw versionConflict(item.version);
  if (deadlinePassed(item)) throw deadlineConflict();
  const at = nowIso();
  try {
    await transact([
      itemUpdate({
        itemId,
        expectedVersion: item.version,
        set: { status: 'CLAIMED', queueKey: queueKeys.claimed(item.dueAt), claimedBy: principal.staffId, claimedAt: at },
        require: { status: 'OPEN' },
      }),
      auditPut(item, { at, version: item.version + 1, action: 'CLAIMED', by: principal.staffId }),
    ]);
  } catch (error) {
    if (!cancellationCodes(error)) throw error;
    // Lost a race: say why from what is there now.
    const current = await getItem(itemId);
    if (current?.status === 'CLAIMED' && current.claimedBy === principal.staffId) return toStaffView(current, { today: vietnamDate() });
    if (current?.status === 'CLAIMED') throw claimedByOtherConflict();
    if (current && current.status !== 'OPEN') throw resolvedConflict(current);
    throw versionConflict(current?.version ?? item.version);
  }
  logger.info('Review item claimed', { itemId, staffId: principal.staffId });
  const claimed = await getItem(itemId);
  return toStaffView(claimed ?? item, { today: vietnamDate() });
}

// ---------------------------------------------------------------------------------------------------------
// Resolve

export interface ResolveInput {
  decision: 'APPROVE' | 'REJECT';
  corrections?: Partial<IdentityClaim> | null;
  evidenceNote?: string | null;
  reason?: string | null;
}

export interface ResolveResult {
  item: ReviewItemStaffView;
  /** true: the decision is recorded but not yet delivered to the workflow; the sweeper will deliver it. */
  resumePending: boolean;
  /**
   * Always null on a success: a decision that finds nothing left to resume (the execution stopped, timed out or
   * failed) is answered 409 DECISION_NOT_DELIVERED instead; the note is kept on the item (`resumeNote`).
   */
  resumeNote: string | null;
}

/** Validates and normalizes corrections (APPROVE only). Empty → null. */
function validateCorrections(input: Partial<IdentityClaim> | null | undefined): Partial<IdentityClaim> | null {
  if (!input) return null;
  const out: Partial<IdentityClaim> = {};
  const problems: { path: string; message: string }[] = [];
  if (input.personalId !== undefined && input.personalId !== null) {
    if (!isPersonalIdFormat(input.personalId)) problems.push({ path: 'corrections.personalId', message: 'must be 12 digits' });
    else out.personalId = input.personalId;
  }
  if (input.fullName !== undefined && input.fullName !== null) {
    const name = typeof input.fullName === 'string' ? input.fullName.normalize('NFC').replace(/\s+/gu, ' ').trim() : '';
    if (name.length === 0 || name.length > 200) problems.push({ path: 'corrections.fullName', message: 'must be a non-empty name' });
    else out.fullName = name;
  }
  if (input.dateOfBirth !== undefined && input.dateOfBirth !== null) {
    if (!isValidCalendarDate(input.dateOfBirth)) problems.push({ path: 'corrections.dateOfBirth', message: 'must be a real date YYYY-MM-DD' });
    else if (input.dateOfBirth > vietnamDate()) problems.push({ path: 'corrections.dateOfBirth', message: 'must not be in the future' });
    else out.dateOfBirth = input.dateOfBirth;
  }
  if (input.sex !== undefined && input.sex !== null) {
    if (input.sex !== 'MALE' && input.sex !== 'FEMALE') problems.push({ path: 'corrections.sex', message: 'must be MALE or FEMALE' });
    else out.sex = input.sex;
  }
  if (problems.length) {
    throw new ValidationError('Thông tin hiệu chỉnh không hợp lệ', 'The corrections are invalid', { issues: problems }, 'INVALID_CORRECTIONS');
  }
  return Object.keys(out).length ? out : null;
}

function submittedFieldsOf(submitted: IdentityClaim, corrections: Partial<IdentityClaim>): Partial<IdentityClaim> {
  return Object.fromEntries(Object.keys(corrections).map((k) => [k, submitted[k as keyof IdentityClaim] ?? null]));
}

function blankToNull(s: string | null | undefined): string | null {
  const t = typeof s === 'string' ? s.trim() : '';
  return t === '' ? null : t;
}

/**
 * Records the decision of the officer who claimed the item, then resumes the workflow.
 * ONE transaction: item → APPROVED/REJECTED (resume PENDING) + audit row + application timeline event
 * REVIEW_DECIDED (→ VERIFYING on approval). Then SendTaskSuccess with a few quick retries; delivered → resume
 * DONE; still failing → stays PENDING (`resumePending: true`), the sweeper delivers it later.
 */
export async function resolveReviewItem(principal: StaffPrincipal, itemId: string, input: ResolveInput): Promise<ResolveResult> {
  const reason = blankToNull(input.reason);
  const evidenceNote = blankToNull(input.evidenceNote);
  if (input.decision !== 'APPROVE' && input.decision !== 'REJECT') {
    throw new ValidationError('Quyết định không hợp lệ', 'The decision must be APPROVE or REJECT', undefined, 'INVALID_DECISION');
  }
  if (input.decision === 'REJECT' && !reason) {
    throw new ValidationError('Từ chối phải kèm lý do', 'A rejection needs a reason', undefined, 'REASON_REQUIRED');
  }
  const corrections = validateCorrections(input.corrections);
  if (input.decision === 'REJECT' && corrections) {
    throw new ValidationError(
      'Chỉ được hiệu chỉnh thông tin khi phê duyệt',
      'Corrections can only accompany an approval',
      undefined,
      'CORRECTIONS_NOT_ALLOWED',
    );
  }

  const item = await loadItemForStaff(principal, itemId);
  if (item.status === 'APPROVED' || item.status === 'REJECTED' || item.status === 'EXPIRED') throw resolvedConflict(item);
  if (item.status === 'OPEN') throw notClaimedConflict('decide');
  // A quick answer only: the transaction below is conditioned on the application's status (the real guard).
  const application = await applicationsRepository.get(item.applicationId);
  if (application && isTerminal(application.status)) throw applicationClosedConflict(item.applicationId, application.status);
  if (item.claimedBy !== principal.staffId) throw claimedByOtherConflict();
  if (deadlinePassed(item)) throw deadlineConflict();

  if (corrections && (corrections.personalId || corrections.dateOfBirth || corrections.sex)) {
    // The corrected ID must agree with the corrected date of birth / sex, unless that very inconsistency is
    // what staff is vouching for.
    const corrected: IdentityClaim = { ...item.submitted, ...corrections };
    const problem = isValidCalendarDate(corrected.dateOfBirth) ? precheckPersonalId(corrected) : null;
    if (problem && problem !== item.reasonCode) {
      throw new ValidationError(
        'Số định danh hiệu chỉnh không phù hợp với ngày sinh hoặc giới tính',
        'The corrected personal ID does not agree with the date of birth or sex',
        { reasonCode: problem },
        'CORRECTION_INCONSISTENT',
      );
    }
  }

  const decidedAt = nowIso();
  const status = input.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
  const decision: ReviewDecisionPayload = {
    decision: input.decision,
    reviewItemId: itemId,
    decidedBy: principal.staffId,
    decidedAt,
    corrections: input.decision === 'APPROVE' ? corrections : null,
    reason,
    evidenceNote,
    reviewedReasonCode: item.reasonCode,
  };
  const items = decisionTransaction(item, decision, {
    require: { status: 'CLAIMED', claimedBy: principal.staffId },
    detail: {
      corrections: decision.corrections,
      reason,
      evidenceNote,
      // The identity as submitted and as corrected (only the corrected fields).
      before: { status: 'CLAIMED', ...(decision.corrections ? { identity: submittedFieldsOf(item.submitted, decision.corrections) } : {}) },
      after: { status, ...(decision.corrections ? { identity: decision.corrections } : {}) },
    },
  });
  try {
    await transact(items);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[0] === 'ConditionalCheckFailed') {
      const current = await getItem(itemId);
      if (current && current.status !== 'CLAIMED') throw resolvedConflict(current);
      if (current && current.claimedBy !== principal.staffId) throw claimedByOtherConflict();
      throw versionConflict(current?.version ?? item.version);
    }
    if (codes[2] === 'ConditionalCheckFailed') {
      const current = await applicationsRepository.get(item.applicationId);
      if (current && isTerminal(current.status)) throw applicationClosedConflict(item.applicationId, current.status);
      throw new ConflictError(
        'APPLICATION_NOT_IN_REVIEW',
        'Hồ sơ không còn chờ xem xét',
        'The application is no longer waiting for a review',
        { applicationId: item.applicationId },
      );
    }
    throw new ConflictError('CONCURRENT_UPDATE', 'Dữ liệu đang được cập nhật, vui lòng thử lại', 'A concurrent update happened, please retry');
  }
  logger.info('Review item decided', { itemId, decision: input.decision, staffId: principal.staffId });

  const decided: ReviewItemRecord = {
    ...item,
    status,
    queueKey: queueKeys.decided(status, 'PENDING', decidedAt),
    decision,
    decidedBy: principal.staffId,
    decidedAt,
    resume: 'PENDING',
    version: item.version + 1,
  };
  const delivery = await deliverDecision(decided, 'resolve');
  if (delivery.kind === 'gone') {
    // Recorded (audited) but the workflow was no longer waiting: its execution stopped, timed out or failed. The
    // execution-ended rule (events/executionEnded.ts) ends the application FAILED with the reason; nothing waits
    // for this decision, so the officer must not be told it took effect.
    throw decisionNotDeliveredConflict(item.applicationId, itemId, delivery.note);
  }
  const final = (await getItem(itemId)) ?? decided;
  return {
    item: toStaffView(final, { today: vietnamDate() }),
    resumePending: delivery.kind === 'failed',
    resumeNote: null,
  };
}

/**
 * The decision transaction: item → APPROVED/REJECTED (resume PENDING) + audit row + application timeline event
 * REVIEW_DECIDED (→ VERIFYING on approval), conditioned on the application waiting on exactly this item.
 */
function decisionTransaction(
  item: ReviewItemRecord,
  decision: ReviewDecisionPayload,
  options: { require: Record<string, string>; detail: Record<string, unknown> },
): TransactItem[] {
  const status = decision.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
  const appAllowedFrom: ApplicationStatus[] = ['IN_REVIEW', 'VERIFYING'];
  return [
    itemUpdate({
      itemId: item.itemId,
      expectedVersion: item.version,
      set: {
        status,
        queueKey: queueKeys.decided(status, 'PENDING', decision.decidedAt),
        decision,
        decidedBy: decision.decidedBy,
        decidedAt: decision.decidedAt,
        resume: 'PENDING',
      },
      remove: ['escalationDueAt'],
      require: options.require,
    }),
    auditPut(item, { at: decision.decidedAt, version: item.version + 1, action: status, by: decision.decidedBy, detail: options.detail }),
    applicationsRepository.transitionUpdate(item.applicationId, {
      ...(decision.decision === 'APPROVE' ? { to: 'VERIFYING' as const } : {}),
      event: 'REVIEW_DECIDED',
      detail: { reviewItemId: item.itemId, decision: decision.decision },
      remove: ['openReviewItemId'],
      allowedFrom: appAllowedFrom,
      // Only the item the workflow is waiting on can decide the application, and only while it is not ended
      // (allowedFrom): this Update's condition is the application's ConditionCheck of the decision transaction
      // (DynamoDB allows one operation per item in a transaction).
      require: { openReviewItemId: item.itemId },
    }),
  ];
}

/**
 * A supervisor's registry re-check passed (reviewQueue/registryRecheck.ts): the item is approved in their name for
 * the reason it was opened for (REGISTRY_UNAVAILABLE), OPEN or CLAIMED by anyone, and the workflow resumes; its
 * re-check with that approval finds the registry's answer (verified by the registry, not by staff). Returns false
 * when the item changed meanwhile (someone decided it): nothing is written then.
 */
export async function approveAfterRegistryRecheck(principal: StaffPrincipal, item: ReviewItemRecord): Promise<{ approved: boolean; resumePending: boolean }> {
  const decidedAt = nowIso();
  const decision: ReviewDecisionPayload = {
    decision: 'APPROVE',
    reviewItemId: item.itemId,
    decidedBy: principal.staffId,
    decidedAt,
    corrections: null,
    reason: null,
    evidenceNote: null,
    reviewedReasonCode: item.reasonCode,
  };
  try {
    await transact(
      decisionTransaction(item, decision, {
        require: { status: item.status },
        detail: { registryRecheck: 'PASSED', before: { status: item.status }, after: { status: 'APPROVED' } },
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)) return { approved: false, resumePending: false };
    throw error;
  }
  const decided: ReviewItemRecord = { ...item, status: 'APPROVED', decision, decidedBy: principal.staffId, decidedAt, resume: 'PENDING', version: item.version + 1 };
  const delivery = await deliverDecision(decided, 'resolve');
  return { approved: true, resumePending: delivery.kind === 'failed' };
}

function decisionNotDeliveredConflict(applicationId: string, itemId: string, note: string): ConflictError {
  return new ConflictError(
    'DECISION_NOT_DELIVERED',
    'Quyết định đã được lưu vết nhưng quy trình xử lý hồ sơ đã dừng nên quyết định không có hiệu lực; hồ sơ được kết thúc với lý do hệ thống',
    'The decision was recorded in the audit trail, but the application\'s processing had already ended, so it has no effect; the application is closed with a system reason',
    { applicationId, itemId, resumeNote: note },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Resume (delivering the decision to the workflow)

/** SFN errors meaning the wait is over (timed out, already completed, execution gone): nothing to resume. */
const NOTHING_TO_RESUME = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

const QUICK_RETRY_DELAYS_MS = [100, 300];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Delivery = { kind: 'sent' } | { kind: 'gone'; note: string } | { kind: 'failed'; error: string };

async function sendTaskSuccess(item: ReviewItemRecord): Promise<Delivery> {
  const output = JSON.stringify(item.decision);
  let lastError = 'unknown';
  for (let attempt = 0; attempt <= QUICK_RETRY_DELAYS_MS.length; attempt++) {
    try {
      await stepFunctions().send(new SendTaskSuccessCommand({ taskToken: item.taskToken, output }));
      return { kind: 'sent' };
    } catch (error) {
      const name = (error as Error | undefined)?.name ?? 'Error';
      if (NOTHING_TO_RESUME.has(name)) return { kind: 'gone', note: name };
      lastError = name; // the name only: an SDK message could quote the request
      if (attempt < QUICK_RETRY_DELAYS_MS.length) await sleep(QUICK_RETRY_DELAYS_MS[attempt]);
    }
  }
  return { kind: 'failed', error: lastError };
}

/**
 * Sends a PENDING decision and marks it DONE (delivered, or nothing left to deliver to). A failed delivery by the
 * sweeper backs the item off; the resolve call's own failure needs none (the sweeper's grace period covers it).
 */
async function deliverDecision(item: ReviewItemRecord, by: 'resolve' | 'sweeper'): Promise<Delivery> {
  const delivery = await sendTaskSuccess(item);
  if (delivery.kind === 'failed') {
    logger.warn('Review decision not delivered yet; left PENDING for the sweeper', { itemId: item.itemId, error: delivery.error });
    if (by === 'sweeper') await scheduleNextResume(item);
    return delivery;
  }
  if (delivery.kind === 'gone') {
    logger.warn('Nothing to resume for a review decision', { itemId: item.itemId, note: delivery.note });
  }
  await markResumeDone(item, delivery.kind === 'gone' ? delivery.note : null);
  return delivery;
}

/** After this many failed deliveries an item is logged as an error on every further attempt (alarmed). */
export const RESUME_ATTEMPTS_BEFORE_ALARM = 10;
const MAX_RESUME_BACKOFF_SECONDS = 3600;

/**
 * Delivery bookkeeping (not a change of the item's state, so no version bump and no audit row): one more
 * failed attempt and when the sweeper may try again (exponential back-off up to an hour). An item that keeps
 * failing therefore never holds back the decisions behind it.
 */
async function scheduleNextResume(item: ReviewItemRecord): Promise<void> {
  const attempts = (item.resumeAttempts ?? 0) + 1;
  const delaySeconds = Math.min(MAX_RESUME_BACKOFF_SECONDS, 30 * 2 ** Math.min(attempts, 12));
  if (attempts >= RESUME_ATTEMPTS_BEFORE_ALARM) {
    logger.error('Review decision still not delivered', { itemId: item.itemId, attempts });
  }
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: config.reviewItemsTable(),
        Key: { itemId: item.itemId, sk: ITEM_SK },
        UpdateExpression: 'SET resumeAttempts = :attempts, nextResumeAt = :next',
        ConditionExpression: 'resume = :pending',
        ExpressionAttributeValues: { ':attempts': attempts, ':next': addSeconds(now(), delaySeconds).toISOString(), ':pending': 'PENDING' },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') {
      logger.warn('Could not record the failed delivery', { itemId: item.itemId, error: (error as Error).name });
    }
  }
}

async function markResumeDone(item: ReviewItemRecord, note: string | null): Promise<void> {
  if (item.status !== 'APPROVED' && item.status !== 'REJECTED') return;
  const at = nowIso();
  try {
    await transact([
      itemUpdate({
        itemId: item.itemId,
        expectedVersion: item.version,
        set: {
          resume: 'DONE',
          queueKey: queueKeys.decided(item.status, 'DONE', item.decidedAt ?? at),
          resumedAt: at,
          ...(note ? { resumeNote: note } : {}),
        },
        require: { resume: 'PENDING' },
      }),
      auditPut(item, {
        at,
        version: item.version + 1,
        action: note ? 'RESUME_SKIPPED' : 'RESUMED',
        by: SYSTEM,
        ...(note ? { detail: { note } } : {}),
      }),
    ]);
  } catch (error) {
    // Someone else (the sweeper or the resolve call) marked it already, or the write failed. Never fail the
    // caller for this: the decision has reached the workflow; an item left PENDING is sent again by the
    // sweeper, where Step Functions answers that the task is over → marked DONE then.
    if (cancellationCodes(error)) logger.info('Resume already marked', { itemId: item.itemId });
    else logger.warn('Could not mark the resume DONE; the sweeper will', { itemId: item.itemId, error: (error as Error).name });
  }
}

/** resumeNote of a decision the sweeper stopped delivering because its application had ended. */
export const APPLICATION_CLOSED_NOTE = 'ApplicationClosed';

export interface ResumeSummary {
  found: number;
  delivered: number;
  nothingToResume: number;
  stillPending: number;
}

/**
 * Delivers every decision still PENDING (sweeper). Per province: query byProvinceQueue with
 * `queueKey BETWEEN "<STATUS>#PENDING#" AND "<STATUS>#PENDING#<now - minAgeSeconds>"` for APPROVED and
 * REJECTED; the grace period leaves fresh decisions to the resolve call that is delivering them.
 */
export async function resumePendingDecisions(
  options: { provinceCodes?: string[]; minAgeSeconds?: number; maxItems?: number } = {},
): Promise<ResumeSummary> {
  const provinceCodes = options.provinceCodes ?? [config.provinceCode()];
  const cutoff = addSeconds(now(), -(options.minAgeSeconds ?? 30)).toISOString();
  const maxItems = options.maxItems ?? 200;
  const summary: ResumeSummary = { found: 0, delivered: 0, nothingToResume: 0, stillPending: 0 };
  for (const provinceCode of provinceCodes) {
    for (const status of ['APPROVED', 'REJECTED'] as const) {
      let cursor: string | null = null;
      do {
        const page = await queryQueue({
          provinceCode,
          between: { from: queueKeys.pendingPrefix(status), to: `${queueKeys.pendingPrefix(status)}${cutoff}` },
          limit: 25,
          cursor,
        });
        cursor = page.nextCursor;
        for (const listed of page.items) {
          if (summary.found >= maxItems) return summary;
          // The index is eventually consistent: act on the item as it is now.
          const item = await getItem(listed.itemId);
          if (!item || item.resume !== 'PENDING' || !item.decision) continue;
          if (item.nextResumeAt && item.nextResumeAt > nowIso()) continue; // backing off after failures
          summary.found++;
          const application = await applicationsRepository.get(item.applicationId);
          if (!application || isTerminal(application.status)) {
            // The application has ended (its execution too): nothing waits for this decision, never retry it.
            await markResumeDone(item, APPLICATION_CLOSED_NOTE);
            summary.nothingToResume++;
            continue;
          }
          const delivery = await deliverDecision(item, 'sweeper');
          if (delivery.kind === 'sent') summary.delivered++;
          else if (delivery.kind === 'gone') summary.nothingToResume++;
          else summary.stillPending++;
        }
      } while (cursor);
    }
  }
  if (summary.found > 0) logger.info('Pending review decisions swept', { ...summary });
  return summary;
}

// ---------------------------------------------------------------------------------------------------------
// Close (the application ends: the outcome service, steps/recordOutcome.ts)

/**
 * Transaction items that close the application's open review item (OPEN or CLAIMED only) as EXPIRED, for the
 * outcome's TransactWriteItems. [] when there is no open item. Conditioned on the version read, so a claim or a
 * decision racing with it cancels the caller's transaction (retry: it re-reads).
 *
 * `closedReason` null: the review deadline passed (audit EXPIRED). Otherwise the application ended by another
 * path (its execution stopped, timed out or failed; a FAILED outcome): the item keeps status EXPIRED — it leaves
 * the active queue and nobody can claim or decide it — with `closedReason` = the outcome's reason code, audit
 * CLOSED; a claim or decision on it answers 409 REVIEW_ITEM_CLOSED.
 */
export async function closeOpenItemsOfApplication(
  applicationId: string,
  openReviewItemId?: string | null,
  closedReason: string | null = null,
): Promise<TransactItem[]> {
  let itemId = openReviewItemId ?? null;
  if (openReviewItemId === undefined) {
    const application = await applicationsRepository.get(applicationId);
    itemId = application?.openReviewItemId ?? null;
  }
  if (!itemId) return [];
  const item = await getItem(itemId);
  if (!item || item.applicationId !== applicationId || (item.status !== 'OPEN' && item.status !== 'CLAIMED')) return [];
  const at = nowIso();
  return [
    itemUpdate({
      itemId,
      expectedVersion: item.version,
      set: { status: 'EXPIRED', queueKey: queueKeys.expired(item.dueAt), expiredAt: at, ...(closedReason ? { closedReason } : {}) },
      remove: ['escalationDueAt'],
      require: { status: ['OPEN', 'CLAIMED'] },
    }),
    auditPut(item, {
      at,
      version: item.version + 1,
      action: closedReason ? 'CLOSED' : 'EXPIRED',
      by: SYSTEM,
      detail: { before: { status: item.status }, after: { status: 'EXPIRED' }, ...(closedReason ? { closedReason } : {}) },
    }),
  ];
}
