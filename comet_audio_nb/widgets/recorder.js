// Microphone recorder: MediaRecorder in the browser, the recording sent to the kernel as
// binary (the `value` trait) with its MIME type. Browsers record webm/opus (Chrome),
// ogg/opus (Firefox) or mp4 (Safari); whatever they give is sent as it is. The preview
// plays one clip at a time with the other players (window.cometAudio, put before this).

const PREFERRED_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

function pickType() {
  if (typeof MediaRecorder === "undefined" || !MediaRecorder.isTypeSupported) return "";
  return PREFERRED_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
}

function clock(seconds) {
  const tenths = Math.floor(seconds * 10);
  const minutes = Math.floor(tenths / 600);
  const rest = ((tenths % 600) / 10).toFixed(1).padStart(4, "0");
  return `${minutes}:${rest}`;
}

function explain(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "Microphone access was blocked: allow it for this site in the browser (the icon by the address bar), then press Record again.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return "No microphone was found: connect one, or upload a file instead.";
  }
  if (name === "NotReadableError") {
    return "The microphone is busy in another application: close it there and try again.";
  }
  return `The microphone could not be started (${name || "error"}: ${error && error.message}).`;
}

function button(label, title) {
  const b = document.createElement("button");
  b.className = "jupyter-button widget-button comet-rec-button";
  b.textContent = label;
  b.title = title;
  b.style.cssText = "width:auto;padding:0 0.8em;margin-right:0.4em";
  return b;
}

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
  el.classList.add("comet-recorder");
  el.style.cssText = "display:flex;flex-direction:column;gap:4px;padding:4px 0";
  const controls = document.createElement("div");
  controls.style.cssText = "display:flex;align-items:center;gap:4px;flex-wrap:wrap";
  const record = button("● Record", "Start recording from the microphone");
  const stop = button("■ Stop", "Stop recording");
  const send = button(model.get("send_label"), "Send this recording to the kernel");
  send.classList.add("mod-primary");
  const meter = document.createElement("div");
  meter.className = "comet-rec-meter";
  meter.title = "input level";
  meter.style.cssText = "width:120px;height:8px;background:#e5e7eb;border-radius:4px;overflow:hidden";
  const level = document.createElement("div");
  level.style.cssText = "height:100%;width:0%;background:#16a34a;transition:width 60ms linear";
  meter.appendChild(level);
  const elapsed = document.createElement("span");
  elapsed.className = "comet-rec-elapsed";
  elapsed.style.cssText = "font-family:monospace;min-width:4em";
  const preview = document.createElement("audio");
  preview.className = "comet-rec-preview";
  preview.controls = true;
  learnDuration(preview);
  const listen = document.createElement("div");
  listen.style.cssText = "display:none;align-items:center;gap:0.6em";
  const previewClock = window.cometAudio.readout(preview, document.createElement("span"));
  previewClock.style.cssText = "font-family:monospace;font-size:0.85em;opacity:0.75";
  listen.append(preview, previewClock);
  const message = document.createElement("div");
  message.className = "comet-rec-message";
  message.style.cssText = "font-size:0.9em";
  controls.append(record, stop, send, meter, elapsed);
  el.append(controls, listen, message);

  let recorder = null;
  let stream = null;
  let audioContext = null;
  let frame = 0;
  let stopTimer = 0;
  let pending = null; // the last recording, until it is sent
  let previewUrl = null;

  function show(state) {
    const recording = state === "recording";
    const fresh = state === "idle" || state === "error";
    record.textContent = recording ? "● Recording…" : fresh ? "● Record" : "↺ Re-record";
    record.disabled = recording;
    stop.disabled = !recording;
    send.textContent = model.get("send_label");
    send.style.display = pending && !model.get("auto_send") ? "" : "none";
    meter.style.visibility = recording ? "visible" : "hidden";
    if (!recording) level.style.width = "0%";
  }

  function say(text, isError = false) {
    message.textContent = text;
    message.style.color = isError ? "#b91c1c" : "inherit";
  }

  function setStatus(state, error = "") {
    model.set("status", state);
    model.set("error", error);
    model.save_changes();
    show(state);
  }

  function release() {
    cancelAnimationFrame(frame);
    clearTimeout(stopTimer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    if (audioContext) audioContext.close().catch(() => {});
    stream = audioContext = null;
  }

  function watchLevel(started) {
    audioContext = new AudioContext();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 1024;
    audioContext.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / samples.length);
      level.style.width = `${Math.min(100, rms * 300).toFixed(0)}%`;
      elapsed.textContent = clock((performance.now() - started) / 1000);
      frame = requestAnimationFrame(tick);
    };
    tick();
  }

  async function start() {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      const text = `The microphone needs a secure page: open Jupyter over https:// or on localhost (this page is ${location.origin}).`;
      say(text, true);
      setStatus("error", text);
      return;
    }
    if (typeof MediaRecorder === "undefined") {
      const text = "This browser cannot record audio (no MediaRecorder): upload a file instead.";
      say(text, true);
      setStatus("error", text);
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      const text = explain(error);
      say(text, true);
      setStatus("error", text);
      return;
    }
    const chunks = [];
    const type = pickType();
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    recorder.ondataavailable = (event) => event.data.size && chunks.push(event.data);
    recorder.onstop = () => {
      release();
      const blob = new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" });
      recorder = null;
      pending = blob;
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = URL.createObjectURL(blob);
      preview.src = previewUrl;
      listen.style.display = "flex";
      say(`Recorded ${elapsed.textContent} (${Math.round(blob.size / 1024)} KB ${blob.type}).`);
      setStatus("recorded");
      if (model.get("auto_send")) sendPending();
    };
    pending = null;
    listen.style.display = "none";
    say("Recording… press Stop when done.");
    recorder.start(250);
    watchLevel(performance.now());
    stopTimer = setTimeout(() => recorder && recorder.stop(), model.get("max_seconds") * 1000);
    setStatus("recording");
  }

  async function sendPending() {
    if (!pending) return;
    const blob = pending;
    const buffer = await blob.arrayBuffer();
    pending = null;
    model.set("mime_type", blob.type);
    model.set("value", new DataView(buffer));
    model.set("status", "sent");
    model.set("error", "");
    model.save_changes();
    say(`Sent ${Math.round(blob.size / 1024)} KB to the kernel.`);
    show("sent");
  }

  record.addEventListener("click", () => {
    if (recorder) return;
    start();
  });
  stop.addEventListener("click", () => recorder && recorder.stop());
  send.addEventListener("click", sendPending);
  model.on("change:send_label", () => show(model.get("status")));
  model.on("change:auto_send", () => show(model.get("status")));
  elapsed.textContent = clock(0);
  show("idle");

  return () => {
    if (recorder && recorder.state !== "inactive") {
      recorder.onstop = null;
      recorder.stop();
    }
    release();
    if (previewUrl) URL.revokeObjectURL(previewUrl);
  };
}

export default { render };
