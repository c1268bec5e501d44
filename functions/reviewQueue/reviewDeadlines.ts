/**
 * The review window of an item opened now in a province (domain/reviewWindow.ts with the province's deadline,
 * target and working hours). Used by the PlanReviewWindow step; no AWS.
 */
import { planReviewWindow, type ReviewWindow } from '../domain/reviewWindow';
import { nowIso } from '../shared/clock';
import { config } from '../shared/config';
import { provinceSettings } from '../shared/provinces';
import { workingScheduleOf } from '../shared/workingHours';

export function reviewWindowFor(provinceCode: string, stackTimeoutSeconds: number | null | undefined, openedAt: string = nowIso()): ReviewWindow {
  const settings = provinceSettings(provinceCode);
  return planReviewWindow(
    openedAt,
    {
      reviewDeadlineHours: settings?.reviewDeadlineHours ?? 120,
      escalateAfterHours: settings?.escalateAfterHours ?? 72,
      schedule: workingScheduleOf(provinceCode),
    },
    stackTimeoutSeconds ?? config.reviewTimeoutSeconds(),
  );
}
