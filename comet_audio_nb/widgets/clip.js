// Clip player: one <audio> from the `value` bytes, a clock in tenths, and play/pause
// messages from the kernel (window.cometAudio, put before this module, keeps one clip
// playing at a time).

function render({ model, el }) {
  el.classList.add("comet-clip-player");
  el.style.cssText = "display:flex;align-items:center;gap:0.6em";
  const audio = document.createElement("audio");
  audio.controls = true;
  audio.preload = "metadata";
  const label = document.createElement("span");
  label.style.cssText = "font-family:monospace;font-size:0.85em;opacity:0.75";
  window.cometAudio.readout(audio, label);
  el.append(audio, label);
  let url = null;

  function load() {
    if (url) URL.revokeObjectURL(url);
    url = null;
    const data = model.get("value");
    el.style.display = data && data.byteLength ? "flex" : "none";
    if (data && data.byteLength) {
      url = URL.createObjectURL(new Blob([data], { type: model.get("mime") }));
      audio.src = url;
      audio.dataset.cometStream = model.get("stream_id");
      window.cometAudio.pickUp(audio); // where a streaming player handed over
    } else {
      audio.removeAttribute("src");
    }
  }

  model.on("change:value", load);
  model.on("change:mime", load);
  model.on("msg:custom", (message) => {
    if (message.type === "play") window.cometAudio.start(audio);
    if (message.type === "pause") audio.pause();
  });
  load();
  return () => {
    audio.pause();
    if (url) URL.revokeObjectURL(url);
  };
}

export default { render };
