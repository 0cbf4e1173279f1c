// Transcript player: an <audio> element with the transcript beside it. Clicking a segment
// or a word seeks the audio there; the segment (and word) being played is highlighted.
// A diarized transcript's lines carry their speaker's colour (given by the kernel, one per
// speaker) as a border, the name on the first line of each turn, under a legend whose
// entries pick out a speaker's lines when clicked.
// window.cometAudio (results/one_player.js, put before this module) keeps one clip playing
// at a time and the clock in tenths; clock, findAt and markRow are transcript_lines.js'.

// MediaRecorder's webm has no duration in its header, so Chrome says Infinity and cannot
// seek well; seeking far past the end makes it read the file and learn the duration.
function learnDuration(audio) {
  audio.addEventListener("loadedmetadata", () => {
    if (audio.duration !== Infinity) return;
    audio.dataset.learning = "1";
    audio.addEventListener(
      "durationchange",
      () => {
        audio.currentTime = 0;
        delete audio.dataset.learning;
      },
      { once: true },
    );
    audio.currentTime = 1e101;
  });
}

function render({ model, el }) {
  el.classList.add("comet-transcript-player");
  const side = document.createElement("div");
  side.className = "comet-tp-side";
  const audio = document.createElement("audio");
  audio.className = "comet-tp-audio";
  audio.controls = true;
  audio.preload = "metadata";
  learnDuration(audio);
  const time = window.cometAudio.readout(audio, document.createElement("div"));
  time.style.cssText = "font-family:monospace;font-size:0.85em;opacity:0.75";
  const caption = document.createElement("div");
  caption.className = "comet-tp-caption";
  side.append(audio, time, caption);
  const column = document.createElement("div");
  column.className = "comet-tp-column";
  const legend = document.createElement("div");
  legend.className = "comet-tp-legend";
  const list = document.createElement("div");
  list.className = "comet-tp-transcript";
  column.append(legend, list);
  el.append(side, column);

  let segments = [];
  let rows = [];
  let wordSpans = [];
  let active = -1;
  let activeWord = null;
  let url = null;
  let focus = null; // the speaker whose lines are picked out, or null

  function chip(name, colour) {
    const span = document.createElement("span");
    span.className = "comet-tp-chip";
    span.style.setProperty("--comet-tp-speaker", colour);
    span.textContent = name;
    return span;
  }

  function talk(entry) {
    const share = entry.share == null ? "" : ` · ${Math.round(entry.share * 100)}%`;
    return `${entry.talk_seconds.toFixed(1)} s${share}`;
  }

  function buildLegend() {
    legend.replaceChildren();
    const speakers = model.get("speakers") || [];
    legend.style.display = speakers.length ? "" : "none";
    for (const entry of speakers) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "comet-tp-speaker";
      button.dataset.speaker = entry.speaker;
      button.title = `${entry.turns} turn${entry.turns === 1 ? "" : "s"}: click to pick out these lines`;
      const share = document.createElement("span");
      share.className = "comet-tp-share";
      share.textContent = talk(entry);
      button.append(chip(entry.speaker, entry.colour), share);
      legend.appendChild(button);
    }
    pickOut(null);
  }

  // Dims every line but those of `speaker` (null: none dimmed).
  function pickOut(speaker) {
    focus = speaker;
    for (const button of legend.children) {
      button.setAttribute("aria-pressed", String(button.dataset.speaker === focus));
    }
    for (const row of rows) {
      row.classList.toggle("comet-tp-dimmed", focus != null && row.dataset.speaker !== focus);
    }
  }

  function loadAudio() {
    if (url) URL.revokeObjectURL(url);
    url = null;
    const data = model.get("audio");
    if (data && data.byteLength) {
      url = URL.createObjectURL(new Blob([data], { type: model.get("audio_mime") }));
      audio.src = url;
    } else if (model.get("audio_url")) {
      audio.src = model.get("audio_url");
    } else {
      audio.removeAttribute("src");
    }
    caption.textContent = model.get("caption");
  }

  function build() {
    segments = model.get("segments") || [];
    list.replaceChildren();
    list.style.maxHeight = model.get("height");
    rows = [];
    wordSpans = [];
    if (!segments.length) {
      const none = document.createElement("div");
      none.className = "comet-tp-none";
      none.textContent = "(no speech heard)";
      list.appendChild(none);
    }
    const colours = new Map((model.get("speakers") || []).map((e) => [e.speaker, e.colour]));
    segments.forEach((segment, index) => {
      const row = document.createElement("div");
      row.className = "comet-tp-segment";
      row.dataset.index = index;
      row.dataset.start = segment.start ?? "";
      const stamp = document.createElement("span");
      stamp.className = "comet-tp-time";
      stamp.textContent = clock(segment.start);
      row.appendChild(stamp);
      const colour = segment.speaker != null ? colours.get(segment.speaker) : undefined;
      if (colour) {
        row.dataset.speaker = segment.speaker;
        row.style.setProperty("--comet-tp-speaker", colour);
        if (index === 0 || segments[index - 1].speaker !== segment.speaker) {
          row.classList.add("comet-tp-turn");
          row.appendChild(chip(segment.speaker, colour));
        }
      }
      const words = segment.words || [];
      if (words.length) {
        const spans = words.map((word) => {
          const span = document.createElement("span");
          span.className = "comet-tp-word";
          span.dataset.start = word.start ?? "";
          span.textContent = word.text ?? word.word; // with its punctuation
          row.append(span, " ");
          return span;
        });
        wordSpans.push({ words, spans });
      } else {
        row.append(segment.text);
        wordSpans.push({ words: [], spans: [] });
      }
      list.appendChild(row);
      rows.push(row);
    });
    active = -1;
    activeWord = null;
    pickOut(focus);
  }

  function seek(time) {
    if (time == null || !isFinite(time)) return;
    audio.currentTime = time;
    highlight();
  }

  function highlight() {
    if (audio.dataset.learning) return;
    const time = audio.currentTime;
    const index = findAt(segments, time);
    if (index !== active) {
      markRow(list, rows, active, index, "comet-tp-active");
      active = index;
      model.set("current_segment", active);
      model.set("current_time", time);
      model.save_changes();
    }
    if (activeWord) activeWord.classList.remove("comet-tp-word-active");
    activeWord = null;
    if (active >= 0) {
      const { words, spans } = wordSpans[active];
      const at = findAt(words, time);
      if (at >= 0 && (words[at].end == null || time < words[at].end)) {
        activeWord = spans[at];
        activeWord.classList.add("comet-tp-word-active");
      }
    }
  }

  list.addEventListener("click", (event) => {
    const target = event.target.closest(".comet-tp-word, .comet-tp-segment");
    if (!target || target.dataset.start === "") return;
    seek(Number(target.dataset.start));
    window.cometAudio.start(audio);
  });
  legend.addEventListener("click", (event) => {
    const button = event.target.closest(".comet-tp-speaker");
    if (button) pickOut(focus === button.dataset.speaker ? null : button.dataset.speaker);
  });
  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", () => {
    if (audio.dataset.learning) return;
    model.set("current_time", audio.currentTime);
    model.save_changes();
  });
  model.on("msg:custom", (message) => {
    if (message.type === "seek") seek(message.time);
    if (message.type === "play") window.cometAudio.start(audio);
    if (message.type === "pause") audio.pause();
  });
  model.on("change:segments", build);
  model.on("change:speakers", () => {
    buildLegend();
    build();
  });
  model.on("change:height", () => (list.style.maxHeight = model.get("height")));
  for (const name of ["audio", "audio_mime", "audio_url", "caption"]) {
    model.on(`change:${name}`, loadAudio);
  }
  loadAudio();
  buildLegend();
  build();
  return () => url && URL.revokeObjectURL(url);
}

export default { render };
