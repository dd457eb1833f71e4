// Pagefind's search: the last search typed alone, and an index in parts searched as the index whole.
//
// The search page hands this module to Pagefind's interface in place of Pagefind's own (`bundlePath`), whether the
// index is whole or comes in parts (pagefind/parts.json). It is Pagefind's module, every function as it is, but
// `search` (and `mergeIndex`, which notes that the index comes in parts). Over an index whole, a search is Pagefind's
// own, run once the one before has ended (see "Stale searches" below); only over parts are pages left out.
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
// Such pages are left out when another page holds the word. When none does (a typo), an index whole lists the
// pages of the longest indexed word the word begins, each part those of its own longest: probes shorter by a letter
// more each tell which pages fell back to the longest, and the others are left out. A quoted search never falls
// back, nor does a word of one letter. The words are Pagefind's own: in Chinese, Japanese and Thai, where no space parts them, Pagefind has the
// browser's word segmenter split the search (東京夜景 searched as 東京 夜景), and so does this module; the probe's
// end is a character that segmenter keeps in the word before it (the word before it may still be split from what
// comes before, as the segmenter's dictionary decides).
//
// What it costs: the quoted search of each word comes first, as it is cheap (one place a page, where the others
// list every place the word stands: 40 ms against 400-700 ms for a word in all 10,000 posts of a large hub). When
// every page found holds each word so, no page of the list was found by a shorter word, and nothing more is
// searched; only a word some page of the list does not hold (a word being typed, one a part lacks) costs the
// plain and the probe's searches, the plain one being the search itself for one word.
//
// Stale searches: Pagefind's interface searches each time typing pauses for 300 ms, and keeps only the last
// search's results; the searches all run in Pagefind's worker one after another, so a reader typing slowly
// waited for every word begun (18-19 s after the last key of "headline example", typed at 0.4 s a key, at
// 10,000 posts in parts; 11-23 s over one index of them, against 3 s now). Here a search waits for the one running to end, and is never run once a later one is asked
// for (it resolves to null, as Pagefind's `debouncedSearch` does): the interface reads no result of a search it
// has moved on from.

import { mergeIndex as mergePart, search as searchParts } from "../../pagefind/pagefind.js";

// Not `debouncedSearch`: it would search past `search` (Pagefind's interface debounces its searches itself).
export { destroy, filters, init, options, preload } from "../../pagefind/pagefind.js";

// WORD JOINER: in no word of a page, not punctuation Pagefind drops, not a mark it strips with the diacritics, and
// joined to the word before it by a word segmenter (a control character, as "\u0001", is a word of its own there).
const NO_WORD_HOLDS = "\u2060";
// What Pagefind drops from a search before it looks (its punctuation; "_" stays), so the words here are its own.
const DROPPED = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;
// The languages whose searches Pagefind splits into words with the browser's segmenter (its needsWordSegmentation).
const SPLIT_BY_PAGEFIND = ["zh", "ja", "th"];
// How long a search waits for the one before it at most: a request of that one left unanswered (a phone's network
// dropping it) must not hold every later search. The longest search measured took about 1 s (two words in all of
// 10,000 posts, on a 2-core machine); past this, the two run side by side, as every search did before.
const WAIT_FOR_THE_SEARCH_BEFORE_MS = 2000;

/** One search at a time, the last asked for: the page has one box, and its interface one list of results. */
class LastSearchOnly {
  constructor() {
    this.asked = 0;
    this.running = Promise.resolve();
  }

  /** Runs `searchWith(isStale)` once the search running has ended (or has run for long); null if another was asked
   * for meanwhile. */
  async run(searchWith) {
    const ticket = ++this.asked;
    const isStale = () => ticket !== this.asked;
    const before = this.running;
    let done;
    this.running = new Promise(resolve => { done = resolve; });
    try {
      await Promise.race([before, new Promise(resolve => setTimeout(resolve, WAIT_FOR_THE_SEARCH_BEFORE_MS))]);
      return isStale() ? null : await searchWith(isStale);
    } finally {
      done();
    }
  }
}

// Module state, as Pagefind's own module keeps its instance: the interface calls `search` with no handle of its own.
const searches = new LastSearchOnly();
// Whether parts were merged in: an index whole falls back to a shorter word only when no page holds the word, as
// Pagefind's own module does, so its results are kept as they are, and no more is searched than the search itself.
const index = { inParts: false };

/** Pagefind's `mergeIndex` (the interface calls it for each part listed in parts.json), noting that the index
 * comes in parts. */
export async function mergeIndex(...part) {
  index.inParts = true;
  return mergePart(...part);
}

/** Pagefind's `search`, less the pages a part found by a shorter word when another page holds the word; null when
 * another search was asked for before this one could start, or while it ran. */
export async function search(term, options = {}) {
  return searches.run(isStale => searchAsOneIndex(term, options, isStale));
}

async function searchAsOneIndex(term, options, isStale) {
  const found = await searchParts(term, options);
  if (!found || !index.inParts || typeof term !== "string" || /^\s*".+"\s*$/.test(term)) {
    return found;
  }
  const words = wordsOf(term);
  const plainOf = word => (words.length === 1 && word === term.trim() ? found : null);
  const strays = new Set((await Promise.all(
    words.map(word => foundByShorterWord(word, found, plainOf(word), options, isStale)))).flat());
  if (isStale()) {
    return null;
  }
  return strays.size ? { ...found, results: found.results.filter(result => !strays.has(result.id)) } : found;
}

/** The pages of `found` a part found by a shorter word than `word`, when another page holds `word`; when none
 * does, those a part found by a shorter word than the longest any part fell back to. `plain` is Pagefind's search for `word` when the caller has it; none is searched for a stale search. */
async function foundByShorterWord(word, found, plain, options, isStale) {
  const letters = Array.from(word);
  if (letters.length < 2) {
    return [];
  }
  const exact = await searchParts(`"${word}"`, options);
  const held = new Set(exact.results.map(result => result.id));
  if (isStale() || found.results.every(result => held.has(result.id))) {
    return []; // every page listed holds the word: none was found by a shorter one
  }
  const [plainFound, probe] = await Promise.all([plain ?? searchParts(word, options), probeOf(letters, 1, options)]);
  const alike = foundAlikeBy(probe);
  const strays = plainFound.results.filter(result => !held.has(result.id) && alike(result));
  if (strays.length < plainFound.results.length) {
    return strays.map(result => result.id);
  }
  const longest = await foundByLongestWord(letters, strays, options, isStale);
  return strays.filter(result => !longest.has(result.id)).map(result => result.id);
}

/** Of `strays` (every page a search for `letters` found, each by a shorter word its part holds), those found by
 * the longest such word, which an index whole lists alone. Each shorter probe finds a page alike while the word
 * its part fell back to is no longer than what the probe keeps; the pages first found otherwise fell back to the
 * longest. All of them when no probe tells them apart (or the search went stale). */
async function foundByLongestWord(letters, strays, options, isStale) {
  for (let cut = 2; cut < letters.length && !isStale(); cut++) {
    const alike = foundAlikeBy(await probeOf(letters, cut, options));
    const longer = strays.filter(result => !alike(result));
    if (longer.length) {
      return new Set(longer.map(result => result.id));
    }
  }
  return new Set(strays.map(result => result.id));
}

/** Pagefind's search for `letters` less its last `cut`, ended by a character no word holds, so that each part
 * finds the longest word of its own that begins what is left. */
function probeOf(letters, cut, options) {
  return searchParts(letters.slice(0, -cut).join("") + NO_WORD_HOLDS, options);
}

/** A test of whether `probe` found a result's page at the same places. */
function foundAlikeBy(probe) {
  const probed = new Map(probe.results.map(result => [result.id, result.words.join(" ")]));
  return result => probed.get(result.id) === result.words.join(" ");
}

/** The words Pagefind searches `term` as, less the punctuation it drops: split at spaces, or, in a language it
 * splits itself, by the browser's word segmenter for that language, as Pagefind does when the browser has one. */
function wordsOf(term) {
  const segmenter = wordSegmenter();
  const pieces = segmenter ? Array.from(segmenter.segment(term), piece => piece.segment) : term.split(/\s+/);
  return pieces.map(piece => piece.replace(DROPPED, "").trim()).filter(Boolean);
}

/** The browser's word segmenter for the page's language, where Pagefind splits that language's searches with it;
 * else null. */
function wordSegmenter() {
  let language;
  try {
    language = Intl.getCanonicalLocales(document.documentElement.lang || [])[0];
  } catch {
    return null; // not a language tag: Pagefind segments nothing either
  }
  const split = language && SPLIT_BY_PAGEFIND.includes(language.split("-")[0].toLowerCase());
  return split && typeof Intl.Segmenter !== "undefined" ? new Intl.Segmenter(language, { granularity: "word" }) : null;
}
