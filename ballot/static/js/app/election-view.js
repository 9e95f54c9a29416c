// The election ballot on the tablet (the view side of election-ballot.js): the paper list,
// each name with "giữ lại" / "gạch tên" (or "đồng ý" / "không đồng ý" on a list without
// surplus), a live counter "đang giữ 7 / cần bầu 9" that stays in sight while the voter
// scrolls a congress list, and the review of what will be sent. booth.js calls these.

import { msg } from "./common.js";
import { el } from "./dom.js";
import { tally } from "./election-ballot.js";

/** The two marks of a row, as the page's message keys: [kept, crossed out]. */
const markKeys = (election) => (election.withSurplus ? ["keep", "cross"] : ["agree", "disagree"]);

/** Show the election's heading and lead (or the confidence vote's), once per ballot. */
export function electionFrame(view, ballot) {
  const election = ballot.election;
  for (const node of view.root.querySelectorAll("[data-for]")) node.hidden = node.dataset.for !== (election ? "election" : "confidence");
  if (!election) return;
  view.$("[data-election-head]").textContent = view.t(msg(election.withSurplus ? "headSurplus" : "headAgree"));
  const key = election.withSurplus ? "leadSurplus" : "leadAgree";
  view.$("[data-election-lead]").textContent = view.t(msg(key, { seats: election.seats, min: election.minKept, n: ballot.subjects.length }));
}

/** A list longer than this is laid out in two columns on a wide screen, read down each. */
const LONG_LIST = 12;

/** Build the rows of a fresh ballot (and lay a congress list out in columns). */
export function electionRows(view, ballot) {
  const box = view.$("[data-ballot]");
  const long = ballot.subjects.length > LONG_LIST;
  box.classList.toggle("long", long);
  box.classList.toggle("agree-list", !ballot.election.withSurplus); // a box per person: no name is struck out
  // column by column, as the paper list is printed: 1-20 on the left, 21-40 on the right
  box.style.setProperty("--rows", long ? String(Math.ceil(ballot.subjects.length / 2)) : "");
  return ballot.subjects.map((subject, i) => electionRow(view, ballot.election, subject, i));
}

function electionRow(view, election, subject, i) {
  const row = el("section", { class: "subject candidate", "data-row": String(i) });
  const who = el("div", { class: "who" },
    el("span", { class: "rank", "aria-hidden": "true" }, String(i + 1)),
    el("span", { class: "name-block" },
      el("span", { class: "name", id: `s${i}-name` }, subject.name),
      el("span", { class: "position", id: `s${i}-pos` }, subject.position)));
  const group = el("div", { class: "choices marks", role: "radiogroup", "aria-labelledby": `s${i}-name s${i}-pos` });
  markKeys(election).forEach((key, k) => {
    const id = `s${i}-${key}`;
    const input = el("input", { type: "radio", name: `s${i}`, id, value: key, class: "sr-radio", "data-row": String(i), "data-mark": k === 0 ? "1" : "0" });
    input.setAttribute("aria-label", view.t(msg(`${key}Label`, { name: subject.name })));
    group.append(input, el("label", { for: id, class: `choice mark-${key}` },
      el("span", { class: "tick", "aria-hidden": "true" }), el("span", { class: "text" }, view.t(msg(key)))));
  });
  row.append(who, group);
  return row;
}

/** Mark the rows and the counter as the state says. */
export function renderMarks(view, state) {
  const box = view.$("[data-ballot]");
  state.choices.forEach((mark, i) => {
    const row = box.querySelector(`[data-row="${i}"]`);
    for (const input of row.querySelectorAll("input")) {
      input.checked = mark !== null && (input.dataset.mark === "1") === mark;
      input.nextElementSibling.classList.toggle("checked", input.checked);
    }
    row.classList.toggle("kept", mark === true);
    row.classList.toggle("crossed", mark === false);
    row.classList.toggle("answered", mark !== null);
    row.classList.toggle("missing", state.missing.includes(i));
  });
  renderTally(view, state);
}

function renderTally(view, state) {
  const { election } = state.ballot;
  const t = tally(election, state.choices);
  const box = view.$("[data-tally]");
  box.dataset.tone = t.tone;
  const count = election.withSurplus
    ? msg("counter", { kept: t.kept, seats: t.seats })
    : msg("counterAgree", { kept: t.kept, marked: state.choices.length - t.open, n: state.choices.length });
  view.$("[data-tally-count]").textContent = view.t(count);
  const hints = {
    over: msg("hintOver", { over: t.over }),
    under: msg("hintUnder", { min: t.minKept }),
    open: msg("hintOpen", { open: t.open }),
    ok: msg("hintOk"),
  };
  view.$("[data-tally-hint]").textContent = view.t(hints[t.tone]);
}

/** The review: every name with what will be sent for it, and the totals. */
export function renderElectionReview(view, state) {
  const { election, subjects } = state.ballot;
  const [keptKey, crossedKey] = markKeys(election);
  const t = tally(election, state.choices);
  const list = view.$("[data-review]");
  list.classList.add("election");
  list.classList.toggle("agree-list", !election.withSurplus);
  list.replaceChildren(...subjects.map((subject, i) => {
    const kept = state.choices[i] === true;
    return el("li", { class: kept ? `chosen kept level-${keptKey}` : `chosen crossed level-${crossedKey}` },
      el("span", { class: "who" }, el("span", { class: "name" }, subject.name), el("span", { class: "position" }, subject.position)),
      el("span", { class: "what" }, view.t(msg(kept ? keptKey : crossedKey))));
  }));
  const key = election.withSurplus ? "reviewSurplus" : "reviewAgree";
  view.$("[data-review-summary]").textContent = view.t(msg(key, { kept: t.kept, crossed: subjects.length - t.kept, seats: t.seats }));
}
