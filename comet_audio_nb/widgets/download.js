// A download link for bytes held by the kernel: a Blob URL, so nothing is written to disk
// on the kernel's side and nothing large is put in the page as a data URI.

function render({ model, el }) {
  const link = document.createElement("a");
  link.className = "comet-download";
  link.style.cssText = "margin-right:1em;cursor:pointer;text-decoration:underline";
  el.appendChild(link);
  let url = null;

  function update() {
    if (url) URL.revokeObjectURL(url);
    const data = model.get("data");
    const empty = !data || data.byteLength === 0;
    url = empty ? null : URL.createObjectURL(new Blob([data], { type: model.get("mime") }));
    link.textContent = `⬇ ${model.get("label")}`;
    link.download = model.get("filename");
    link.title = model.get("filename");
    if (url && !model.get("disabled")) {
      link.href = url;
      link.style.opacity = "1";
      link.style.pointerEvents = "auto";
    } else {
      link.removeAttribute("href");
      link.style.opacity = "0.4";
      link.style.pointerEvents = "none";
    }
  }

  update();
  for (const name of ["data", "filename", "mime", "label", "disabled"]) {
    model.on(`change:${name}`, update);
  }
  return () => {
    if (url) URL.revokeObjectURL(url);
  };
}

export default { render };
