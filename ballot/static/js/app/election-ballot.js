// The paper ballot of an election (protocol §10, Quy định 190-QĐ/TW) as the booth needs it:
// which names are kept, how many, and why a ballot cannot be sent. Pure: no DOM, no crypto.
//
// A list with surplus is printed with every name on it: a name the voter does not cross out
// is kept, so a fresh ballot keeps everyone and the voter crosses names out ("gạch tên").
// A list without surplus has "đồng ý / không đồng ý" for each person and starts unmarked.
// A mark is true (kept / đồng ý), false (crossed out / không đồng ý) or null (not yet).
// Validity (ballot/elections/rules.py, §10.1): m0 ≤ kept ≤ S — keeping more names than the
// number to elect is invalid ("kept_at_most_seats", Art. 15), and on a list with surplus so
// is crossing out every name ("not_all_crossed", m0 = 1). The crypto refuses any other
// count (encryptElectionBallot throws "bad_count"), so the booth explains it first.

import { msg } from "./common.js";

/** The election of a manifest ({seats, minKept, candidates, withSurplus}), or null for a confidence vote. */
export function electionOf(manifest) {
  const e = manifest?.rules?.election;
  if (!e) return null;
  return {
    seats: e.seats,
    minKept: e.min_kept,
    candidates: e.candidates,
    withSurplus: !!e.with_surplus,
  };
}

/** A fresh ballot: every name kept on a list with surplus, nobody marked without. */
export function initialMarks(election, count) {
  return new Array(count).fill(election.withSurplus ? true : null);
}

export const keptCount = (marks) => marks.filter((m) => m === true).length;

/** Rows not marked yet (only a list without surplus has them). */
export const unmarked = (marks) => marks.flatMap((m, i) => (m === null ? [i] : []));

/** Whether the voter changed anything on a fresh ballot (then "cancel" asks first). */
export function touched(election, marks) {
  const fresh = initialMarks(election, marks.length);
  return marks.some((m, i) => m !== fresh[i]);
}

/**
 * The counter the booth shows while the voter marks: {kept, seats, over, under, tone}
 * where tone is "ok" (sendable), "over" (too many kept) or "under" (too few).
 */
export function tally(election, marks) {
  const kept = keptCount(marks);
  const over = Math.max(kept - election.seats, 0);
  const under = Math.max(election.minKept - kept, 0);
  const open = unmarked(marks).length;
  const tone = over ? "over" : under && !open ? "under" : open ? "open" : "ok";
  return { kept, seats: election.seats, minKept: election.minKept, over, under, open, tone };
}

/**
 * Why this ballot cannot go to review, as a message of the page's table, or null when it
 * can: too many kept, too few kept, or (without surplus) persons not marked.
 */
export function marksProblem(ballot, marks) {
  const { election, subjects } = ballot;
  const t = tally(election, marks);
  if (t.over) return msg("tooMany", { kept: t.kept, seats: t.seats, over: t.over });
  const open = unmarked(marks);
  if (open.length) return msg("unmarked", { n: open.length, names: open.map((i) => subjects[i].name) });
  if (t.under) {
    if (t.kept === 0 && election.withSurplus) return msg("allCrossed", { min: t.minKept });
    return msg("tooFew", { kept: t.kept, min: t.minKept });
  }
  return null;
}

/** The booleans encryptElectionBallot takes (kept[j]), once the ballot has no problem. */
export const keptList = (marks) => marks.map((m) => m === true);
