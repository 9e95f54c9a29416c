// A hash written the one way people read it aloud: upper case, groups of 4 ("3FA9 0C1E …").
// The same rule as the `hex_groups` Jinja filter (ballot/i18n.py); `groups` keeps only the
// first groups (the booth shows 4, which the projector highlights).
export function hexGroups(hex, groups = 0) {
  if (!hex) return "";
  const parts = String(hex).replace(/\s/g, "").toUpperCase().match(/.{1,4}/g) || [];
  return (groups ? parts.slice(0, groups) : parts).join(" ");
}
