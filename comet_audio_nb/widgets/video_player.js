// Video player: the video with its transcript as a WebVTT captions track, and the
// transcript beside it. window.cometAudio (results/one_player.js, put before this module)
// keeps one clip or video playing at a time on the page; clock, findAt and markRow are
// transcript_lines.js' (put before this module too). Clicking a line seeks the video there;
// the line being spoken is highlighted. A file beside the notebook is played from
// Jupyter's /files/ URL (never embedded); a small video may come as bytes; when the browser
// cannot play the file the player says why and the transcript still shows.

// Jupyter's URL for a file under the folder it serves (JupyterLab and Notebook 7 give
// their base URL and root folder in the page's config); null where that is unknown.
function fileUrl(path) {
  const node = document.getElementById("jupyter-config-data");
  let config = {};
  try {
    config = node ? JSON.parse(node.textContent) : {};
  } catch (error) {
    return null;
  }
  const root = (config.serverRoot || "").replace(/\/+$/, "");
  if (!config.baseUrl || !root || root.startsWith("~") || !path.startsWith(root + "/")) return null;
  const relative = path.slice(root.length + 1).split("/").map(encodeURIComponent).join("/");
  return `${config.baseUrl.replace(/\/?$/, "/")}files/${relative}`;
}

function render({ model, el }) {
  el.classList.add("comet-video-player");
  const side = document.createElement("div");
  side.className = "comet-vp-side";
  const video = document.createElement("video");
  video.className = "comet-vp-video";
  video.controls = true;
  video.preload = "metadata";
  video.playsInline = true;
  const track = document.createElement("track");
  track.kind = "captions";
  track.label = "Transcript";
  track.srclang = "en";
  track.default = true;
  video.appendChild(track);
  const problem = document.createElement("div");
  problem.className = "comet-vp-problem";
  const caption = document.createElement("div");
  caption.className = "comet-vp-caption";
  side.append(video, problem, caption);
  const list = document.createElement("div");
  list.className = "comet-vp-transcript";
  el.append(side, list);

  let segments = [];
  let rows = [];
  let active = -1;
  const urls = [];

  function blobUrl(parts, type) {
    const url = URL.createObjectURL(new Blob(parts, { type }));
    urls.push(url);
    return url;
  }

  function say(text) {
    problem.textContent = text;
    problem.style.display = text ? "" : "none";
    video.style.display = text ? "none" : "";
  }

  function load() {
    caption.textContent = model.get("caption");
    track.src = blobUrl([model.get("captions")], "text/vtt");
    const data = model.get("video");
    const path = model.get("video_file");
    if (model.get("problem")) {
      video.removeAttribute("src");
      say(model.get("problem"));
    } else if (data && data.byteLength) {
      video.src = blobUrl([data], model.get("video_mime"));
      say("");
    } else if (model.get("video_url")) {
      video.src = model.get("video_url");
      say("");
    } else if (path && fileUrl(path)) {
      video.src = fileUrl(path);
      say("");
    } else {
      say(`cannot reach ${path || "the video"} from this page: open the notebook in JupyterLab or Notebook 7 from the folder that holds it`);
    }
    // Captions show from the start (browsers hide a track until a cue or a choice).
    if (video.textTracks[0]) video.textTracks[0].mode = "showing";
  }

  function build() {
    segments = model.get("segments") || [];
    list.replaceChildren();
    rows = segments.map((segment, index) => {
      const row = document.createElement("div");
      row.className = "comet-vp-segment";
      row.dataset.index = index;
      row.dataset.start = segment.start ?? "";
      const stamp = document.createElement("span");
      stamp.className = "comet-vp-time";
      stamp.textContent = clock(segment.start);
      row.append(stamp, segment.text);
      list.appendChild(row);
      return row;
    });
    active = -1;
  }

  function highlight() {
    const time = video.currentTime;
    const index = findAt(segments, time);
    if (index === active) return;
    markRow(list, rows, active, index, "comet-vp-active");
    active = index;
    model.set("current_segment", active);
    model.set("current_time", time);
    model.save_changes();
  }

  function seek(time) {
    if (time == null || !isFinite(time) || model.get("problem")) return;
    video.currentTime = time;
    highlight();
  }

  list.addEventListener("click", (event) => {
    const row = event.target.closest(".comet-vp-segment");
    if (!row || row.dataset.start === "") return;
    seek(Number(row.dataset.start));
    if (!model.get("problem")) video.play().catch(() => {});
  });
  video.addEventListener("timeupdate", highlight);
  video.addEventListener("seeked", highlight);
  model.on("msg:custom", (message) => {
    if (message.type === "seek") seek(message.time);
    if (message.type === "play") window.cometAudio.start(video);
    if (message.type === "pause") video.pause();
  });
  model.on("change:segments", build);
  for (const name of ["video", "video_mime", "video_url", "video_file", "captions", "problem", "caption"]) {
    model.on(`change:${name}`, load);
  }
  load();
  build();
  return () => urls.forEach((url) => URL.revokeObjectURL(url));
}

export default { render };
