// Pagefind's search over an index split in parts, as it would search the index whole.
//
// The search page hands this module to Pagefind's interface in place of Pagefind's own (`bundlePath`), when the
// index comes in parts (pagefind/parts.json). It is Pagefind's module, every function as it is, but `search`.
//
// Why: a word Pagefind cannot find in an index (no indexed word begins with it) is searched as the longest
// indexed word it begins with ("debugger" as "debug", "de"...). An index whole does that only when no page of
// the site has the word; with parts merged (`mergeIndex`), each part does it on its own, so a word one part holds
// also listed, after its real matches, the pages of every other part holding a shorter word it begins: pages
// without the word. Pagefind has no setting for it (Pagefind/pagefind#780, "Configurable backtracking").
//
// How a page found that way is told apart, for each word searched, with Pagefind's own searches:
// - the page is not found by the word exactly (the quoted search: the word's stem, by Pagefind's stemmer);
// - searched as the word less its last letter, ended by a character no indexed word holds (so that nothing
//   begins with it), the page is found at the same places: the longest indexed word that begins that one is the
//   shorter word the part fell back to, and a word found at the same places is that word.
// Such pages are left out when another page holds the word; when none does, all are kept, as an index whole
// keeps them. A quoted search never falls back, nor does a word of one letter. Sites in Chinese, Japanese or
// Thai are searched as Pagefind searches them: it splits their words itself, and the probe's end with them.

import { search as searchParts } from "../../pagefind/pagefind.js";

// Not `debouncedSearch`: it would search past `search` (Pagefind's interface debounces its searches itself).
export { destroy, filters, init, mergeIndex, options, preload } from "../../pagefind/pagefind.js";

const NO_WORD_HOLDS = "\u0001"; // a control character: never in a page's text, and not punctuation Pagefind drops
// What Pagefind drops from a search before it looks (its punctuation; "_" stays), so the words here are its own.
const DROPPED = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;
const SPLIT_BY_PAGEFIND = ["zh", "ja", "th"];

/** Pagefind's `search`, less the pages a part found by a shorter word when another page holds the word. */
export async function search(term, options = {}) {
  const found = await searchParts(term, options);
  if (!found || typeof term !== "string" || /^\s*".+"\s*$/.test(term) || splitByPagefind()) {
    return found;
  }
  const words = term.replace(DROPPED, "").split(/\s+/).filter(Boolean);
  const strays = new Set((await Promise.all(words.map(word => foundByShorterWord(word, options)))).flat());
  return strays.size ? { ...found, results: found.results.filter(result => !strays.has(result.id)) } : found;
}

/** The pages found for `word` by a shorter word their part holds, when another page holds `word` (else none). */
async function foundByShorterWord(word, options) {
  const letters = Array.from(word);
  if (letters.length < 2) {
    return [];
  }
  const [plain, exact, probe] = await Promise.all([
    searchParts(word, options),
    searchParts(`"${word}"`, options),
    searchParts(letters.slice(0, -1).join("") + NO_WORD_HOLDS, options),
  ]);
  const held = new Set(exact.results.map(result => result.id));
  const probed = new Map(probe.results.map(result => [result.id, result.words.join(" ")]));
  const strays = plain.results.filter(result => !held.has(result.id) && probed.get(result.id) === result.words.join(" "));
  return strays.length < plain.results.length ? strays.map(result => result.id) : [];
}

function splitByPagefind() {
  const language = (document.documentElement.lang || "").split("-")[0].toLowerCase();
  return SPLIT_BY_PAGEFIND.includes(language);
}
