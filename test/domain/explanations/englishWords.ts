/** English words that must not appear in a Vietnamese explanation (legal words, units, provenance markers). */
export const ENGLISH_IN_VI =
  /\b(Decree|Law|Art\.|Article|Circular|Resolution|Decision|letter|verify|VND|month|months|year|years|average|salary|base|rate|cap|benefit|amount|total|rounded|practice|Reading)\b/i;
