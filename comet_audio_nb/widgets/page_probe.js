// The page's side of %comet_doctor: what only the browser can tell, sent back to the kernel.
// - the widget front end: this module running at all is the answer (and which app it is);
// - trust: whether the doctor table's own <script> ran (it marks the table);
// - the microphone: a secure context, the API, the permission's state, how many inputs.
// Nothing here asks for the microphone: it only reads what the browser already says.

function pageConfig() {
  const node = document.getElementById("jupyter-config-data");
  try {
    return node ? JSON.parse(node.textContent) : {};
  } catch (error) {
    return {};
  }
}

async function microphone() {
  const mic = {
    secure: window.isSecureContext === true,
    api: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia),
    permission: "unknown",
    inputs: null,
  };
  try {
    mic.permission = (await navigator.permissions.query({ name: "microphone" })).state;
  } catch (error) {
    // Firefox before 2023 cannot query the microphone permission: left "unknown".
  }
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    mic.inputs = devices.filter((d) => d.kind === "audioinput").length;
  } catch (error) {
    // no mediaDevices (an insecure page): left unknown
  }
  return mic;
}

async function render({ model, el }) {
  el.classList.add("comet-page-probe");
  el.textContent = "the page is answering the doctor…";
  const id = model.get("doctor_id");
  const table = document.querySelector(`[data-comet-doctor="${id}"]`);
  const config = pageConfig();
  const report = {
    frontend: {
      app: config.appName || (window.google && window.google.colab ? "Colab" : ""),
      version: config.appVersion || "",
    },
    trusted: !!(table && table.dataset.trusted === "1"),
    microphone: await microphone(),
  };
  model.set("report", report);
  model.save_changes();
  el.textContent = "the page answered the doctor";
}

export default { render };
