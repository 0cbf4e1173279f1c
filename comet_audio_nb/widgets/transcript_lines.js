// What the transcript player and the video player share about the lines beside their
// media: each line's clock, the line playing at a time, and keeping it in view. Put before
// either player's module by widgets._common.esm (plain declarations, no export).

function clock(seconds) {
  if (seconds == null || !isFinite(seconds)) return "?";
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const rest = ((tenths % 600) / 10).toFixed(1).padStart(4, "0");
  return `${Math.floor(tenths / 600)}:${rest}`;
}

// The last item whose start is at or before `time` (items sorted by start), or -1.
function findAt(items, time) {
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (items[middle].start != null && items[middle].start <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

// Moves `mark` (a class) from rows[previous] to rows[index] (-1: none) and scrolls the
// column `list` to show that row: the column only, never the notebook page.
function markRow(list, rows, previous, index, mark) {
  if (previous >= 0 && rows[previous]) rows[previous].classList.remove(mark);
  const row = rows[index];
  if (index < 0 || !row) return;
  row.classList.add(mark);
  const bottom = list.scrollTop + list.clientHeight;
  if (row.offsetTop < list.scrollTop || row.offsetTop + row.offsetHeight > bottom) {
    list.scrollTop = row.offsetTop - list.clientHeight / 3;
  }
}
