// One clip at a time, for every player comet-audio-nb shows: the speech player's HTML,
// the transcript player, the studio's clip player, and any player still to come.
// Installed once per page as window.cometAudio (whichever player comes first):
// - a player that starts pauses every other <audio> on the page;
// - autoplay happens only in a live view (the output of a cell running now), never when a
//   saved notebook is reopened: saved HTML carries data-comet-autoplay, not autoplay;
// - a clock with tenths beside each player, since the browser's shows 0:00 / 0:00 for a
//   clip under a second;
// - a streaming player (Web Audio, no <audio> of its own) registers to be paused too, and
//   when it is replaced by the saved player it hands over: the saved <audio> with the same
//   data-comet-stream goes on from where the stream was (and only then: a reopened
//   notebook has nothing handed over, so it stays silent).
(() => {
  if (window.cometAudio) return;
  const clock = (seconds) => {
    if (seconds == null || !isFinite(seconds)) return "?";
    const tenths = Math.round(Math.max(0, seconds) * 10);
    const rest = ((tenths % 600) / 10).toFixed(1).padStart(4, "0");
    return `${Math.floor(tenths / 600)}:${rest}`;
  };
  const handed = new Map(); // stream id -> { position, playing, claims }
  const api = {
    clock,
    claims: 0, // how many times a player started: a late handover does not take over
    others: new Set(), // players without an <audio>: objects with pause()
    // Pause every other player on the page (`who`: an <audio>, or a registered player).
    claim(who) {
      api.claims++;
      for (const other of document.querySelectorAll("audio, video")) {
        if (other !== who && !other.paused) other.pause();
      }
      for (const other of api.others) if (other !== who) other.pause();
    },
    // A streaming player is replaced by the saved one: the <audio> carrying
    // data-comet-stream=`id` goes on from `state.position`, playing if `state.playing`.
    handOver(id, state) {
      if (!id) return;
      handed.set(id, { ...state, claims: api.claims });
      for (const audio of document.querySelectorAll("audio[data-comet-stream]")) {
        if (audio.dataset.cometStream === id) api.pickUp(audio);
      }
    },
    pickUp(audio) {
      const state = handed.get(audio.dataset.cometStream);
      if (!state) return;
      handed.delete(audio.dataset.cometStream);
      const go = () => {
        audio.currentTime = state.position;
        // Not if another player started since (its <audio> may load after the next stream).
        if (state.playing && !audio.ended && api.claims === state.claims) api.start(audio);
      };
      if (audio.readyState >= 1) go();
      else audio.addEventListener("loadedmetadata", go, { once: true });
    },
    // Is `el` in a live view? In JupyterLab, Notebook 7 and the classic notebook: its
    // cell is running (or queued) now. Elsewhere: it was made in the last 20 seconds.
    live(el) {
      const cell = el.closest(".jp-CodeCell, .code_cell");
      if (cell) {
        if (cell.classList.contains("running")) return true;
        const prompt = cell.querySelector(".jp-InputPrompt, .input_prompt");
        return !!prompt && prompt.textContent.includes("*");
      }
      const made = Number(el.dataset.made || 0);
      return made > 0 && Math.abs(Date.now() / 1000 - made) < 20;
    },
    start(audio) {
      api.claim(audio);
      const playing = audio.play();
      if (playing) playing.catch(() => {}); // the browser may refuse without a gesture
    },
    // Keep `label` showing "position / duration" with tenths.
    readout(audio, label) {
      label.classList.add("comet-audio-clock");
      const show = () => {
        if (audio.dataset.learning) return;
        label.textContent = `${clock(audio.currentTime)} / ${clock(audio.duration)}`;
      };
      for (const name of ["loadedmetadata", "durationchange", "timeupdate", "seeked", "emptied"]) {
        audio.addEventListener(name, show);
      }
      return label;
    },
    // Set up every player in `box`: its clock, and autoplay where it asks and is live.
    show(box) {
      for (const audio of box.querySelectorAll("audio")) {
        const label = box.querySelector(".comet-audio-clock");
        if (label) api.readout(audio, label);
        if (audio.dataset.cometStream) api.pickUp(audio);
        else if (audio.dataset.cometAutoplay !== undefined && api.live(audio)) api.start(audio);
      }
    },
  };
  document.addEventListener(
    "play",
    (event) => event.target instanceof HTMLMediaElement && api.claim(event.target),
    true,
  );
  window.cometAudio = api;
})();
