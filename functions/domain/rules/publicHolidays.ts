/**
 * Vietnam's public holidays as dated data per year (ngày nghỉ lễ, Tết), with the instrument that sets each
 * year's schedule. The Labour Code (Bộ luật Lao động số 45/2019/QH14, Điều 112) fixes the holidays:
 *   - Tết Dương lịch: 1 day (1 January);
 *   - Tết Âm lịch (Tết Nguyên đán): 5 days, placed each year by the Prime Minister;
 *   - Giỗ Tổ Hùng Vương: 1 day (10th day of the 3rd lunar month);
 *   - Ngày Chiến thắng: 1 day (30 April); Quốc tế Lao động: 1 day (1 May);
 *   - Quốc khánh: 2 days (2 September and the day before or after it, chosen each year).
 * A holiday on a weekly rest day is taken on the next working day (nghỉ bù, Điều 111 khoản 3). Each year's
 * official notice for public servants (Bộ Nội vụ from 2025; earlier Bộ Lao động – Thương binh và Xã hội) may
 * also swap a working day for a Saturday (hoán đổi ngày làm việc): `days` lists every weekday off, and
 * `workingSaturdays` the Saturdays worked instead.
 *
 * Only weekdays matter for working time (weekends are never working days unless listed in workingSaturdays).
 * `checked`: true only when the days were compared with the official notice; otherwise `source` says where
 * they come from. A year without data is not guessed: working time refuses to count through it
 * (PublicHolidayDataMissingError), so a deploy adds the year's notice before the year is reached.
 */

export type HolidayKind = 'HOLIDAY' | 'COMPENSATORY' | 'SWAPPED';

export interface PublicHoliday {
  /** Asia/Ho_Chi_Minh calendar date, YYYY-MM-DD (a weekday). */
  date: string;
  kind: HolidayKind;
  name: { vi: string; en: string };
}

export interface PublicHolidayYear {
  year: number;
  instrument: { vi: string; en: string };
  /** true: compared with the official notice's text. */
  checked: boolean;
  source: string;
  /** Every weekday off in the year (holidays, compensatory days, swapped days). */
  days: readonly PublicHoliday[];
  /** Saturdays worked in exchange for a swapped weekday. */
  workingSaturdays: readonly string[];
}

const NEW_YEAR = { vi: 'Tết Dương lịch', en: "New Year's Day" };
const LUNAR_NEW_YEAR = { vi: 'Tết Âm lịch', en: 'Lunar New Year (Tết)' };
const HUNG_KINGS = { vi: 'Giỗ Tổ Hùng Vương', en: 'Hùng Kings Commemoration Day' };
const REUNIFICATION = { vi: 'Ngày Chiến thắng (30/4)', en: 'Reunification Day (30 April)' };
const LABOUR_DAY = { vi: 'Ngày Quốc tế Lao động (1/5)', en: 'International Labour Day (1 May)' };
const NATIONAL_DAY = { vi: 'Quốc khánh', en: 'National Day' };

function days(kind: HolidayKind, name: PublicHoliday['name'], ...dates: string[]): PublicHoliday[] {
  return dates.map((date) => ({ date, kind, name }));
}

export const PUBLIC_HOLIDAYS: Readonly<Record<number, PublicHolidayYear>> = {
  2025: {
    year: 2025,
    instrument: {
      vi: 'Bộ luật Lao động số 45/2019/QH14, Điều 112; thông báo lịch nghỉ Tết Ất Tỵ và Quốc khánh năm 2025 của Bộ Lao động – Thương binh và Xã hội',
      en: 'Labour Code No. 45/2019/QH14, Article 112; the Ministry of Labour, Invalids and Social Affairs notice of the 2025 Tết and National Day holidays',
    },
    checked: false,
    source: 'Labour Code Art. 112 and the 2025 schedule as reported in the press (Tết 25/1–2/2, 30/4–4/5 with Saturday 26/4 worked, 1–2/9)',
    days: [
      ...days('HOLIDAY', NEW_YEAR, '2025-01-01'),
      ...days('HOLIDAY', LUNAR_NEW_YEAR, '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'),
      ...days('HOLIDAY', HUNG_KINGS, '2025-04-07'),
      ...days('HOLIDAY', REUNIFICATION, '2025-04-30'),
      ...days('HOLIDAY', LABOUR_DAY, '2025-05-01'),
      ...days('SWAPPED', LABOUR_DAY, '2025-05-02'),
      ...days('HOLIDAY', NATIONAL_DAY, '2025-09-01', '2025-09-02'),
    ],
    workingSaturdays: ['2025-04-26'],
  },
  2026: {
    year: 2026,
    instrument: {
      vi: 'Bộ luật Lao động số 45/2019/QH14, Điều 112; thông báo lịch nghỉ Tết Bính Ngọ và Quốc khánh năm 2026 của Bộ Nội vụ',
      en: 'Labour Code No. 45/2019/QH14, Article 112; the Ministry of Home Affairs notice of the 2026 Tết and National Day holidays',
    },
    checked: false,
    source:
      'Labour Code Art. 112; Tết 14/2–22/2/2026 (9 days) as reported from the Ministry of Home Affairs notice; ' +
      'Giỗ Tổ (10/3 lunar) falls on Sunday 26/4, taken on Monday 27/4; the National Day second day taken as 1/9 (to be checked)',
    days: [
      ...days('HOLIDAY', NEW_YEAR, '2026-01-01'),
      ...days('HOLIDAY', LUNAR_NEW_YEAR, '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'),
      ...days('COMPENSATORY', HUNG_KINGS, '2026-04-27'),
      ...days('HOLIDAY', REUNIFICATION, '2026-04-30'),
      ...days('HOLIDAY', LABOUR_DAY, '2026-05-01'),
      ...days('HOLIDAY', NATIONAL_DAY, '2026-09-01', '2026-09-02'),
    ],
    workingSaturdays: [],
  },
  2027: {
    year: 2027,
    instrument: {
      vi: 'Bộ luật Lao động số 45/2019/QH14, Điều 112 (lịch nghỉ Tết Đinh Mùi năm 2027 chưa được công bố)',
      en: 'Labour Code No. 45/2019/QH14, Article 112 (the 2027 Tết schedule has not been announced yet)',
    },
    checked: false,
    source:
      'Labour Code Art. 112 only: Tết Đinh Mùi is 6/2/2027 (Saturday); the 5 Tết days placed as the weekdays ' +
      '4/2–5/2 and 8/2–10/2 until the notice is published; Giỗ Tổ 16/4 (Friday); 30/4 Friday; 1/5 Saturday → Monday 3/5; ' +
      '2/9 Thursday with 3/9',
    days: [
      ...days('HOLIDAY', NEW_YEAR, '2027-01-01'),
      ...days('HOLIDAY', LUNAR_NEW_YEAR, '2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10'),
      ...days('HOLIDAY', HUNG_KINGS, '2027-04-16'),
      ...days('HOLIDAY', REUNIFICATION, '2027-04-30'),
      ...days('COMPENSATORY', LABOUR_DAY, '2027-05-03'),
      ...days('HOLIDAY', NATIONAL_DAY, '2027-09-02', '2027-09-03'),
    ],
    workingSaturdays: [],
  },
};

/** Thrown when working time would have to count through a year that has no holiday data. */
export class PublicHolidayDataMissingError extends Error {
  constructor(readonly year: number) {
    super(`no public-holiday data for ${year}`);
    this.name = 'PublicHolidayDataMissingError';
  }
}

export function publicHolidayYear(year: number, table: Readonly<Record<number, PublicHolidayYear>> = PUBLIC_HOLIDAYS): PublicHolidayYear {
  const entry = table[year];
  if (!entry) throw new PublicHolidayDataMissingError(year);
  return entry;
}
