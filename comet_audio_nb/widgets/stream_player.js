// Streaming player: plays speech while the kernel sends it, chunk by chunk ("chunk"
// messages with the bytes as a buffer, then "end"). How it plays is the model's `mode`:
// - "pcm": 16-bit mono samples at `rate`, scheduled back to back through Web Audio;
// - "mse": Media Source (`mime`: audio/mpeg or audio/aac) feeding a hidden <audio>;
// - "end": nothing plays until the saved player takes over (a format the browser cannot
//   play while it arrives; "mse" falls back to it where Media Source lacks the type).
// When the kernel replaces it with the saved player, it hands the position over
// (window.cometAudio.handOver, from the one-clip-at-a-time script put before this module).
// Chunks are kept on the model from the start (initialize runs before any message is
// handled), so none is lost while the view is still being made.

// stream id -> { chunks: [Uint8Array], ended, views: Set } (render is handed another
// wrapper of the model than initialize, so the id is the key)
const CHUNKS = new Map();

function initialize({ model }) {
  const kept = { chunks: [], ended: false, views: new Set() };
  CHUNKS.set(model.get("stream_id"), kept);
  model.on("destroy", () => CHUNKS.delete(model.get("stream_id")));
  model.on("msg:custom", (message, buffers) => {
    if (message.type === "chunk") {
      for (const view of buffers || []) {
        const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
        kept.chunks.push(bytes);
        for (const shown of kept.views) shown.chunk(bytes);
      }
    } else if (message.type === "end") {
      kept.ended = true;
      for (const shown of kept.views) shown.end();
    }
  });
}

// Web Audio: each chunk becomes a buffer started where the previous one ends.
function pcmEngine(rate) {
  const Context = window.AudioContext || window.webkitAudioContext;
  const context = new Context();
  let odd = null; // half a sample, kept for the next chunk
  let startedAt = null;
  let next = 0;
  let gaps = 0; // seconds the queue ran dry (the position does not count them)
  let received = 0;
  let paused = false;
  let ended = false;
  const engine = {
    kind: "pcm",
    chunk(bytes) {
      if (odd) {
        const joined = new Uint8Array(odd.length + bytes.length);
        joined.set(odd);
        joined.set(bytes, odd.length);
        bytes = joined;
        odd = null;
      }
      if (bytes.length % 2) {
        odd = bytes.slice(-1);
        bytes = bytes.subarray(0, bytes.length - 1);
      }
      const count = bytes.length / 2;
      if (!count) return;
      const samples = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const buffer = context.createBuffer(1, count, rate);
      const channel = buffer.getChannelData(0);
      for (let i = 0; i < count; i++) channel[i] = samples.getInt16(2 * i, true) / 32768;
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      const now = context.currentTime;
      if (startedAt === null) {
        startedAt = next = now + 0.05;
      } else if (next < now + 0.01) {
        gaps += now + 0.02 - next;
        next = now + 0.02;
      }
      source.start(next);
      next += count / rate;
      received += count / rate;
    },
    end() {
      ended = true;
    },
    received: () => received,
    status: () => context.state,
    position() {
      if (startedAt === null) return 0;
      return Math.max(0, Math.min(received, context.currentTime - startedAt - gaps));
    },
    // Playing, or waiting for more to play (a queue run dry is not a pause).
    playing: () =>
      !paused && context.state === "running" && (!ended || engine.position() < received),
    resume() {
      paused = false;
      const resumed = context.resume();
      if (resumed) resumed.catch(() => {});
    },
    pause() {
      paused = true;
      const suspended = context.suspend();
      if (suspended) suspended.catch(() => {});
    },
    stop() {
      const closed = context.close();
      if (closed) closed.catch(() => {});
    },
  };
  return engine;
}

// Media Source: the chunks are appended in order to one SourceBuffer of a hidden <audio>.
function mseEngine(mime, audio) {
  const source = new MediaSource();
  const url = URL.createObjectURL(source);
  const waiting = [];
  let buffer = null;
  let ended = false;
  let failed = false;
  const pump = () => {
    if (!buffer || buffer.updating || failed) return;
    if (waiting.length) {
      const size = waiting.reduce((sum, part) => sum + part.length, 0);
      const joined = new Uint8Array(size);
      let at = 0;
      for (const part of waiting.splice(0)) {
        joined.set(part, at);
        at += part.length;
      }
      try {
        buffer.appendBuffer(joined);
      } catch (error) {
        failed = true; // the saved player still comes at the end
      }
    } else if (ended && source.readyState === "open") {
      source.endOfStream();
    }
  };
  source.addEventListener("sourceopen", () => {
    buffer = source.addSourceBuffer(mime);
    buffer.mode = "sequence";
    buffer.addEventListener("updateend", pump);
    pump();
  });
  audio.src = url;
  return {
    kind: "mse",
    chunk(bytes) {
      waiting.push(bytes);
      pump();
    },
    end() {
      ended = true;
      pump();
    },
    received() {
      const got = buffer && !failed ? buffer.buffered : null;
      return got && got.length ? got.end(got.length - 1) : 0;
    },
    position: () => audio.currentTime,
    playing: () => !audio.paused && !audio.ended,
    resume: () => window.cometAudio.start(audio),
    pause: () => audio.pause(),
    stop() {
      audio.pause();
      audio.removeAttribute("src");
      URL.revokeObjectURL(url);
    },
  };
}

// Nothing plays while the audio arrives: the saved player starts it at the end.
function endEngine() {
  let wanted = true;
  return {
    kind: "end",
    chunk() {},
    end() {},
    received: () => 0,
    position: () => 0,
    playing: () => wanted,
    resume() {
      wanted = true;
    },
    pause() {
      wanted = false;
    },
    stop() {},
  };
}

const ICONS = {
  play: '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M3 1.5v9l7.5-4.5z" fill="currentColor"/></svg>',
  pause:
    '<svg width="12" height="12" viewBox="0 0 12 12"><path d="M2.5 1.5h2.5v9h-2.5zM7 1.5h2.5v9h-2.5z" fill="currentColor"/></svg>',
};

function chooseMode(model) {
  const mode = model.get("mode");
  if (mode === "mse") {
    const mime = model.get("mime");
    if (!(window.MediaSource && MediaSource.isTypeSupported(mime))) return "end";
  }
  if (mode === "pcm" && !(window.AudioContext || window.webkitAudioContext)) return "end";
  return mode;
}

function render({ model, el }) {
  const kept = CHUNKS.get(model.get("stream_id")) || { chunks: [], ended: false, views: new Set() };
  const cometAudio = window.cometAudio;
  el.classList.add("comet-stream-player");
  const mode = chooseMode(model);
  el.dataset.mode = mode;
  const row = document.createElement("div");
  row.style.cssText = "display:flex;align-items:center;gap:0.6em";
  const button = document.createElement("button");
  button.className = "comet-stream-toggle";
  button.style.cssText =
    "display:flex;align-items:center;justify-content:center;width:2em;height:2em;padding:0;" +
    "border:1px solid rgba(127,127,127,0.5);border-radius:50%;background:transparent;" +
    "color:inherit;cursor:pointer";
  const bar = document.createElement("div");
  bar.style.cssText =
    "position:relative;width:16em;height:0.45em;border-radius:0.25em;overflow:hidden;" +
    "background:rgba(127,127,127,0.25)";
  const got = document.createElement("div");
  const heard = document.createElement("div");
  got.style.cssText = "position:absolute;inset:0 auto 0 0;width:0;background:rgba(29,78,216,0.35)";
  heard.style.cssText = "position:absolute;inset:0 auto 0 0;width:0;background:#1d4ed8";
  bar.append(got, heard);
  const label = document.createElement("span");
  label.className = "comet-audio-clock";
  label.style.cssText = "font-family:monospace;font-size:0.85em;opacity:0.75";
  const caption = document.createElement("div");
  caption.style.cssText = "font-size:0.85em;opacity:0.75;margin-top:2px";
  caption.textContent = model.get("caption");
  const audio = document.createElement("audio"); // the Media Source's; never shown
  audio.style.display = "none";
  row.append(button, bar, label);
  el.append(row, caption, audio);

  const engines = {
    pcm: () => pcmEngine(model.get("rate")),
    mse: () => mseEngine(model.get("mime"), audio),
    end: endEngine,
  };
  const engine = (engines[mode] || endEngine)();
  let wanted = model.get("autoplay"); // the listener's choice: play or pause
  let started = false;
  const me = { pause: () => engine.kind === "pcm" && engine.pause() };
  cometAudio.others.add(me);
  const start = () => {
    if (engine.kind === "pcm") cometAudio.claim(me);
    engine.resume();
  };
  const shown = {
    chunk(bytes) {
      engine.chunk(bytes);
      if (!started && wanted) {
        started = true;
        start();
      }
    },
    end() {
      engine.end();
    },
  };
  button.addEventListener("click", () => {
    wanted = !engine.playing();
    if (wanted) {
      started = true;
      start();
    } else {
      engine.pause();
    }
  });
  kept.views.add(shown);
  for (const bytes of kept.chunks) shown.chunk(bytes);
  if (kept.ended) shown.end();

  let frame = 0;
  const draw = () => {
    const position = engine.position();
    const received = engine.received();
    const state = model.get("state");
    el.dataset.position = position.toFixed(3);
    el.dataset.received = received.toFixed(3);
    el.dataset.state = state;
    if (engine.status) el.dataset.status = engine.status();
    const playing = engine.playing();
    if (button.dataset.playing !== String(playing)) {
      button.dataset.playing = String(playing);
      button.innerHTML = playing ? ICONS.pause : ICONS.play;
      button.title = playing ? "Pause" : "Play";
    }
    const whole = Math.max(received, position, 0.001);
    got.style.width = `${Math.min(100, (100 * received) / whole)}%`;
    heard.style.width = `${Math.min(100, (100 * position) / whole)}%`;
    const arriving = state === "failed" ? "stopped" : kept.ended ? "all here" : "arriving…";
    const size = kept.chunks.reduce((sum, part) => sum + part.length, 0);
    label.textContent =
      engine.kind === "end"
        ? `${(size / 1024).toFixed(0)} KB ${arriving} (plays when complete)`
        : `${cometAudio.clock(position)} / ${cometAudio.clock(received)} ${arriving}`;
    frame = requestAnimationFrame(draw);
  };
  draw();
  model.on("change:caption", () => (caption.textContent = model.get("caption")));

  return () => {
    cancelAnimationFrame(frame);
    kept.views.delete(shown);
    cometAudio.others.delete(me);
    const state = { position: engine.position(), playing: engine.playing() };
    engine.stop();
    cometAudio.handOver(model.get("stream_id"), state);
  };
}

export default { initialize, render };
