/**
 * The legal instrument behind a figure, named in Vietnamese and in English, from the citation text the rule
 * data carries (e.g. 'Decree 146/2018/NĐ-CP Art. 7(1)(e)'):
 *   vi: "điểm e khoản 1 Điều 7 Nghị định số 146/2018/NĐ-CP"
 *   en: "Decree 146/2018/NĐ-CP Art. 7(1)(e)"
 * Asides in parentheses of the data ("(household payment method)", "(5 % employee + 11 % employer)") and
 * "(verify)" markers are provenance notes of the rule data: they stay out of both texts.
 * A citation this module cannot read is named as written (a test reads every citation of the rule data).
 */

export interface Instrument {
  /** Stable code of the first instrument cited, e.g. 'DECREE_146_2018_ND_CP'. */
  code: string;
  vi: string;
  en: string;
  /** YYYY-MM-DD the cited figure applies from. */
  effectiveFrom: string;
}

/** Names of the laws the rule data cites by number only ("Law 41/2024/QH15"). */
const LAW_NAMES: Record<string, { vi: string; en: string }> = {
  '71/2006/QH11': { vi: 'Bảo hiểm xã hội', en: 'Social Insurance' },
  '58/2014/QH13': { vi: 'Bảo hiểm xã hội', en: 'Social Insurance' },
  '41/2024/QH15': { vi: 'Bảo hiểm xã hội', en: 'Social Insurance' },
  '38/2013/QH13': { vi: 'Việc làm', en: 'Employment' },
  '74/2025/QH15': { vi: 'Việc làm', en: 'Employment' },
  '51/2024/QH15': { vi: 'sửa đổi, bổ sung một số điều của Luật Bảo hiểm y tế', en: 'amending the Law on Health Insurance' },
};

const KINDS: { re: RegExp; code: string; vi: string }[] = [
  { re: /^Law on Social Insurance\b/, code: 'LAW', vi: 'Luật Bảo hiểm xã hội' },
  { re: /^Law on Employment\b/, code: 'LAW', vi: 'Luật Việc làm' },
  { re: /^Law on Health Insurance\b/, code: 'LAW', vi: 'Luật Bảo hiểm y tế' },
  { re: /^Law\b/, code: 'LAW', vi: 'Luật' },
  { re: /^Decree\b/, code: 'DECREE', vi: 'Nghị định' },
  { re: /^Circular\b/, code: 'CIRCULAR', vi: 'Thông tư' },
  { re: /^Resolution\b/, code: 'RESOLUTION', vi: 'Nghị quyết' },
  { re: /^Decision\b/, code: 'DECISION', vi: 'Quyết định' },
  { re: /^BHXH letter\b/, code: 'LETTER', vi: 'Công văn' },
];

const ASCII: Record<string, string> = { Đ: 'D', đ: 'd', Ă: 'A', Â: 'A', Ê: 'E', Ô: 'O', Ơ: 'O', Ư: 'U' };

function codeOf(kind: string, number: string | undefined): string {
  const ascii = (number ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[ĐđĂÂÊÔƠƯ]/g, (c) => ASCII[c] ?? c);
  return [kind, ...ascii.split(/[^A-Za-z0-9]+/).filter(Boolean)].join('_').toUpperCase();
}

/** "7(1)(e)" → "điểm e khoản 1 Điều 7"; "60(2)(a)-(b)" → "điểm a–b khoản 2 Điều 60"; "33–36" → "Điều 33–36". */
function articleVi(ref: string): string | null {
  const m = /^(\d+(?:\s*[–-]\s*\d+)?)((?:\([0-9a-zđ]+\))*)(?:\s*[–-]\s*\(([0-9a-zđ]+)\))?$/.exec(ref.trim());
  if (!m) return null;
  const levels = [...m[2].matchAll(/\(([0-9a-zđ]+)\)/g)].map((x) => x[1]);
  if (m[3] && levels.length) levels[levels.length - 1] = `${levels[levels.length - 1]}–${m[3]}`;
  const names = ['khoản', 'điểm'];
  if (levels.length > names.length) return null;
  const parts = levels.map((l, i) => `${names[i]} ${l}`).reverse();
  return [...parts, `Điều ${m[1].replace(/\s*[–-]\s*/, '–')}`].join(' ');
}

/** "Art. 91(1), 92(1)(c)" → "khoản 1 Điều 91, điểm c khoản 1 Điều 92". */
function articlesVi(text: string): string | null {
  const refs = text.replace(/Art\.\s*/g, '').split(',').map((r) => r.trim()).filter(Boolean);
  const out: string[] = [];
  for (const ref of refs) {
    const vi = articleVi(ref);
    if (!vi) return null;
    out.push(vi);
  }
  return out.join(', ');
}

interface Document {
  code: string;
  vi: string;
}

function documentOf(text: string): { doc: Document; rest: string } | null {
  for (const kind of KINDS) {
    if (!kind.re.test(text)) continue;
    const after = text.replace(kind.re, '').trim();
    const num = /^(\S+\/\S+)/.exec(after)?.[1];
    const rest = num ? after.slice(num.length).trim() : after;
    let vi = num ? `${kind.vi} số ${num}` : kind.vi;
    if (kind.vi === 'Luật' && num && LAW_NAMES[num]) vi = `Luật ${LAW_NAMES[num].vi} số ${num}`;
    if (kind.code === 'LETTER') vi = `${vi} của Bảo hiểm xã hội Việt Nam`;
    return { doc: { code: codeOf(kind.code, num), vi }, rest };
  }
  return null;
}

/** Removes provenance asides: "(verify)", parentheses holding words (not "(1)", "(e)"), and "practice". */
export function withoutAsides(text: string): string {
  return text
    .replace(/\s*\((?=[^()]*(?:\s|[A-Za-z]{3}))[^()]*\)/g, '')
    .replace(/\s*\(verify\)/gi, '')
    .replace(/\s+practice\b/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The Vietnamese name of a citation, or null when a part of it cannot be read. */
export function citationVi(text: string): string | null {
  const segments = withoutAsides(text).split(/\s*[;+]\s*/).filter(Boolean);
  const out: string[] = [];
  let previous: Document | null = null;
  for (const segment of segments) {
    const amended = /^(.*?),?\s+as amended by\s+(.+)$/.exec(segment);
    const main = amended ? amended[1] : segment;
    let doc: Document | null;
    let rest: string;
    if (/^Art\./.test(main)) {
      doc = previous;
      rest = main;
    } else {
      const found = documentOf(main);
      if (!found) return null;
      doc = found.doc;
      rest = found.rest;
    }
    if (!doc) return null;
    let vi = doc.vi;
    if (rest) {
      const articles = articlesVi(rest);
      if (!articles) return null;
      vi = `${articles} ${doc.vi}`;
    }
    if (amended) {
      const by = citationVi(amended[2]);
      if (!by) return null;
      vi = `${vi}, được sửa đổi, bổ sung bởi ${by}`;
    }
    out.push(vi);
    previous = doc;
  }
  return out.length ? out.join('; ') : null;
}

/** The instrument of a figure, from the rule data's citation and the date the figure applies from. */
export function instrumentOf(citation: string, effectiveFrom: string): Instrument {
  const en = withoutAsides(citation);
  const first = documentOf(en.split(/\s*[;+]\s*/)[0] ?? '');
  return {
    code: first?.doc.code ?? codeOf('INSTRUMENT', en),
    vi: citationVi(citation) ?? en,
    en,
    effectiveFrom,
  };
}
