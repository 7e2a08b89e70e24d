// The certificate layout editor's live preview (templates/awards/certificates/layout_edit.html): every field of the
// form is drawn over the blank's image at its position in mm, in its font, shrunk to its width as the PDF does
// (awards/certificates.py); dragging a field writes its new position into the form. No inline script (CSP).
(() => {
  const preview = document.getElementById("certificate-preview");
  const dataElement = document.getElementById("certificate-data");
  const form = document.getElementById("layout-form");
  if (!preview || !dataElement || !form) return;
  const data = JSON.parse(dataElement.textContent);
  const PT_PER_MM = data.pt_per_mm;

  const input = (name) => form.elements.namedItem(name);
  const number = (name, fallback = 0) => {
    const element = input(name);
    const value = element ? parseFloat(String(element.value).replace(",", ".")) : NaN;
    return Number.isFinite(value) ? value : fallback;
  };
  const value = (name) => (input(name) ? input(name).value : "");
  const checked = (name) => Boolean(input(name) && input(name).checked);

  function pageSize() {
    let width = number("paper_width", 210);
    let height = number("paper_height", 297);
    if (value("orientation") === "landscape") [width, height] = [height, width];
    return {width, height};
  }

  let scale = 1; // px per mm

  function layoutField(element) {
    const slot = element.dataset.slot;
    const enabled = checked(`${slot}-enabled`);
    element.classList.toggle("off", !enabled);
    if (!enabled) return;
    const font = value(`${slot}-font`);
    const style = value(`${slot}-style`);
    const metrics = data.fonts[font] || {ascent: 0.9, descent: 0.25};
    const width = number(`${slot}-width`, 50);
    const maxLines = Math.max(1, Math.round(number(`${slot}-max_lines`, 1)));
    const minSize = number(`${slot}-min_size`, 8);
    let text = data.samples[slot] || slot;
    if (checked(`${slot}-uppercase`)) text = text.toUpperCase();
    element.textContent = text;
    element.style.fontFamily = `"cert-${font}", serif`;
    element.style.fontWeight = style.includes("bold") ? "bold" : "normal";
    element.style.fontStyle = style.includes("italic") ? "italic" : "normal";
    element.style.textAlign = value(`${slot}-align`);
    element.style.width = `${width * scale}px`;
    element.style.whiteSpace = maxLines > 1 ? "pre-line" : "nowrap"; // keeps a line break ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH")
    // Shrink to fit: the largest size (0.25 pt steps) whose text fits the width in at most maxLines lines.
    let size = number(`${slot}-size`, 14);
    const fits = () => element.scrollWidth <= element.clientWidth + 1
      && element.scrollHeight <= maxLines * size * data.line_height / PT_PER_MM * scale + 1;
    const apply = () => { element.style.fontSize = `${size / PT_PER_MM * scale}px`; };
    apply();
    while (!fits() && size - 0.25 >= minSize) { size -= 0.25; apply(); }
    element.classList.toggle("overflow", !fits());
    element.title = `${size.toFixed(2)} pt`;
    // The anchor: left edge, centre or right edge; vertically the first line's baseline.
    const x = number(`${slot}-x`);
    const left = {left: x, right: x - width}[value(`${slot}-align`)] ?? x - width / 2;
    const linePt = size * data.line_height;
    const halfLeading = (linePt - size * (metrics.ascent + metrics.descent)) / 2;
    const top = number(`${slot}-y`) - (halfLeading + size * metrics.ascent) / PT_PER_MM;
    element.style.lineHeight = `${linePt / PT_PER_MM * scale}px`;
    element.style.left = `${left * scale}px`;
    element.style.top = `${top * scale}px`;
  }

  function draw() {
    const page = pageSize();
    scale = (preview.parentElement.clientWidth - 2) / page.width; // the frame's 1 px border on each side
    preview.style.width = `${page.width * scale}px`;
    preview.style.height = `${page.height * scale}px`;
    preview.querySelectorAll(".preview-field").forEach(layoutField);
  }

  // Drag a field: its anchor moves with the pointer, rounded to 0.5 mm, written into the form's x and y.
  let dragging = null;
  preview.addEventListener("pointerdown", (event) => {
    const element = event.target.closest(".preview-field");
    if (!element) return;
    const slot = element.dataset.slot;
    dragging = {slot, startX: event.clientX, startY: event.clientY, x: number(`${slot}-x`), y: number(`${slot}-y`)};
    element.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  preview.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    const round = (mm) => Math.round(mm * 2) / 2;
    input(`${dragging.slot}-x`).value = round(dragging.x + (event.clientX - dragging.startX) / scale).toFixed(1);
    input(`${dragging.slot}-y`).value = round(dragging.y + (event.clientY - dragging.startY) / scale).toFixed(1);
    draw();
  });
  const stop = () => { dragging = null; };
  preview.addEventListener("pointerup", stop);
  preview.addEventListener("pointercancel", stop);

  form.addEventListener("input", draw);
  form.addEventListener("change", draw);
  window.addEventListener("resize", draw);
  if (document.fonts) {
    document.fonts.addEventListener("loadingdone", draw); // a font used for the first time arrives later
    document.fonts.ready.then(draw);
  }
  draw();
})();
