// PDF pages drawn in the browser with pdf.js: document previews, and placing the signature box by dragging.
import * as pdfjs from "/vendor/pdfjs/pdf.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = "/vendor/pdfjs/pdf.worker.min.mjs";
const options = { isEvalSupported: false, enableXfa: false };

async function render(pdf, number, canvas, width) {
  const page = await pdf.getPage(number);
  const base = page.getViewport({ scale: 1 });
  const scale = width / base.width;
  const viewport = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${base.height * scale}px`;
  await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
  return { width: base.width, height: base.height, scale };
}

// Previews of attached PDFs: the first pages, each as an image of the page.
for (const holder of document.querySelectorAll("[data-pdf-preview]")) {
  try {
    const pdf = await pdfjs.getDocument({ url: holder.dataset.pdfPreview, ...options }).promise;
    const pages = Math.min(pdf.numPages, 3);
    for (let n = 1; n <= pages; n++) {
      const canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `${holder.dataset.label} — ${n}/${pdf.numPages}`);
      holder.appendChild(canvas);
      await render(pdf, n, canvas, Math.min(holder.clientWidth || 600, 700));
    }
    holder.classList.add("rendered");
  } catch {
    holder.classList.add("failed");
  }
}

// The signing form: drag the box on the page; the position goes into the page/X/Y fields in PDF points.
const form = document.querySelector("form[data-sign-form]");
if (form) {
  const input = form.querySelector("[data-pdf-input]");
  const preview = form.querySelector("[data-preview]");
  const canvas = form.querySelector("[data-canvas]");
  const sheet = form.querySelector("[data-sheet]");
  const box = form.querySelector("[data-sigbox]");
  const label = form.querySelector("[data-page-label]");
  const fields = { page: form.querySelector("[data-page]"), x: form.querySelector("[data-x]"), y: form.querySelector("[data-y]") };
  const visible = form.querySelector("[data-visible]");
  const boxSize = { width: 200, height: 70 };
  let pdf = null, current = 1, geometry = null;

  const place = (x, y) => {
    x = Math.max(0, Math.min(x, geometry.width - boxSize.width));
    y = Math.max(0, Math.min(y, geometry.height - boxSize.height));
    fields.x.value = Math.round(x);
    fields.y.value = Math.round(y);
    box.style.left = `${x * geometry.scale}px`;
    box.style.top = `${(geometry.height - y - boxSize.height) * geometry.scale}px`;
    // A slider's value is one number; the text says the whole position (page, from left, from bottom, in points).
    box.setAttribute("aria-valuenow", fields.x.value);
    box.setAttribute("aria-valuemax", Math.round(geometry.width - boxSize.width));
    box.setAttribute("aria-valuetext", `${fields.page.value}: ${fields.x.value}, ${fields.y.value}`);
  };

  const show = async (number) => {
    current = Math.max(1, Math.min(number, pdf.numPages));
    fields.page.value = current;
    fields.page.max = pdf.numPages;
    label.textContent = `${current} / ${pdf.numPages}`;
    geometry = await render(pdf, current, canvas, Math.min(sheet.parentElement.clientWidth || 600, 640));
    sheet.style.width = canvas.style.width;
    sheet.style.height = canvas.style.height;
    box.style.width = `${boxSize.width * geometry.scale}px`;
    box.style.height = `${boxSize.height * geometry.scale}px`;
    place(Number(fields.x.value) || geometry.width - boxSize.width - 36, Number(fields.y.value) || 72);
    // Shown only once it stands on the drawn page: before that a drag or an arrow key would move it by nothing.
    box.hidden = false;
  };

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) { preview.hidden = true; return; }
    try {
      pdf = await pdfjs.getDocument({ data: new Uint8Array(await file.arrayBuffer()), ...options }).promise;
      preview.hidden = !visible.checked;
      await show(1);
    } catch {
      preview.hidden = true;
    }
  });
  visible.addEventListener("change", () => { if (pdf) preview.hidden = !visible.checked; });
  form.querySelector("[data-prev]").addEventListener("click", () => show(current - 1));
  form.querySelector("[data-next]").addEventListener("click", () => show(current + 1));
  fields.page.addEventListener("change", () => { if (pdf) show(Number(fields.page.value)); });

  // Sent from here, the form keeps the document and the box where they are whatever the answer: a refusal's
  // messages are copied into this page (no new page that forgets the chosen file), a signed PDF is handed over as a
  // download and the page says where the public can check it. Without script the form posts as usual.
  const signed = document.querySelector("[data-signed]");
  const busy = form.querySelector("[data-busy]");
  let download = null;
  const fileName = (request) => {
    const disposition = request.getResponseHeader("Content-Disposition") || "";
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (encoded) return decodeURIComponent(encoded[1]);
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1] : "dokumen-ditandatangani.pdf";
  };
  const showErrors = (answer) => {
    const fresh = answer.querySelector("form[data-sign-form]");
    form.querySelectorAll(".error[role=alert]").forEach((old) => old.remove());
    const summary = fresh && fresh.querySelector(".error[role=alert]");
    if (summary) form.prepend(summary);
    form.querySelectorAll("[data-valmsg-for]").forEach((span) => {
      const same = fresh && fresh.querySelector(`[data-valmsg-for="${span.dataset.valmsgFor}"]`);
      span.textContent = same ? same.textContent : "";
    });
    const first = [...form.querySelectorAll("[data-valmsg-for]")].find((span) => span.textContent.trim().length > 0);
    const field = first && first.closest(".field") && first.closest(".field").querySelector("input");
    (field || summary || form).focus();
  };
  if (window.FormData && window.DOMParser && signed) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("Segel-Form", "1");
      request.responseType = "blob";
      signed.hidden = true;
      busy.hidden = false;
      request.addEventListener("loadend", () => { busy.hidden = true; });
      request.addEventListener("load", async () => {
        const passphrase = form.querySelector("input[type=password]");
        passphrase.value = "";
        if (request.status === 200 && (request.getResponseHeader("Content-Type") || "").startsWith("application/pdf")) {
          showErrors(new DOMParser().parseFromString("", "text/html"));
          if (download) URL.revokeObjectURL(download);
          download = URL.createObjectURL(request.response);
          const link = signed.querySelector("[data-signed-download]");
          link.href = download;
          link.download = fileName(request);
          const verify = signed.querySelector("[data-signed-verify]");
          verify.href = verify.textContent = request.getResponseHeader("X-Segel-Verification-Url") || "";
          signed.hidden = false;
          link.click();
          signed.focus();
          return;
        }
        showErrors(new DOMParser().parseFromString(await request.response.text(), "text/html"));
      });
      request.addEventListener("error", () => { form.submit(); });
      request.send(new FormData(form));
    });
  }

  let drag = null;
  box.addEventListener("pointerdown", (e) => {
    drag = { dx: e.clientX - box.offsetLeft, dy: e.clientY - box.offsetTop };
    box.setPointerCapture(e.pointerId);
  });
  box.addEventListener("pointermove", (e) => {
    if (!drag || !geometry) return;
    const left = e.clientX - drag.dx, top = e.clientY - drag.dy;
    place(left / geometry.scale, geometry.height - top / geometry.scale - boxSize.height);
  });
  box.addEventListener("pointerup", () => { drag = null; });
  // The keyboard moves the box too: arrows by 10 points, with Shift by 50.
  box.addEventListener("keydown", (e) => {
    if (!geometry) return;
    const step = e.shiftKey ? 50 : 10;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    place(Number(fields.x.value) + move[0], Number(fields.y.value) + move[1]);
  });
}
