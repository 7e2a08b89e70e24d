// Behaviour that would otherwise be inline (the Content-Security-Policy allows no inline script).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});

// Ask before an irreversible action (see core/confirm.py). A form holding the hidden `_confirm` question is stopped,
// the question shown in the page's modal, and the form submitted again with `_confirmed=1` only on "yes". Without
// this script the server shows the same question on a confirmation page.
(() => {
  const modalElement = document.getElementById("confirm-modal");
  if (!modalElement || !window.bootstrap) return;
  const modal = bootstrap.Modal.getOrCreateInstance(modalElement);
  const question = document.getElementById("confirm-modal-question");
  const yes = document.getElementById("confirm-modal-yes");
  const defaultLabel = yes.textContent;
  let pending = null;  // {form, submitter, confirmed}

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const asked = form.querySelector("input[name='_confirm']");
    if (!asked || form.querySelector("input[name='_confirmed'][value='1']")) return;
    event.preventDefault();
    const label = form.querySelector("input[name='_confirm_label']");
    pending = {form, submitter: event.submitter || null, confirmed: false};
    question.textContent = asked.value;
    yes.textContent = (label && label.value) || defaultLabel;
    modal.show();
  });

  yes.addEventListener("click", () => {
    if (!pending) return;
    pending.confirmed = true;
    const flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "_confirmed";
    flag.value = "1";
    pending.form.appendChild(flag);
    modal.hide();
    const {form, submitter} = pending;
    if (submitter && submitter.form === form) form.requestSubmit(submitter); else form.requestSubmit();
  });

  modalElement.addEventListener("shown.bs.modal", () => {
    // The safe answer has the focus: Enter or Space right away cancels.
    modalElement.querySelector("[data-confirm-cancel]").focus();
  });

  modalElement.addEventListener("hidden.bs.modal", () => {
    // Cancelled: nothing was sent; give the focus back to the button that asked.
    if (pending && !pending.confirmed && pending.submitter) pending.submitter.focus();
    pending = null;
  });
})();

// Text limits (core.forms.limit_text_fields): under every text field with a maxlength, how many characters are
// used of how many ("12 / 255"), updated while typing; the server refuses a longer text with the same limit.
(() => {
  const FIELDS = "textarea[maxlength], input[maxlength]:not([type=hidden]):not([type=password]):not([type=search])";
  const show = (field, counter) => {
    counter.textContent = `${field.value.length} / ${field.maxLength}`;
    counter.classList.toggle("text-danger", field.value.length >= field.maxLength);
  };
  const attach = (root) => {
    root.querySelectorAll(FIELDS).forEach((field) => {
      if (field.dataset.counted) return;
      field.dataset.counted = "1";
      const counter = document.createElement("div");
      counter.className = "form-text text-end char-count";
      counter.id = `${field.id || field.name}-count`;
      field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") || ""} ${counter.id}`.trim());
      field.insertAdjacentElement("afterend", counter);
      show(field, counter);
      field.addEventListener("input", () => show(field, counter));
    });
  };
  attach(document);
  document.addEventListener("htmx:load", (event) => attach(event.target));
})();

// Pickers (core.forms.SearchSelect): an answer that arrives after the person already chose an option keeps that
// choice (the server keeps what was chosen when the search was sent; this covers a choice made while it travelled).
document.addEventListener("htmx:beforeSwap", (event) => {
  const select = event.detail.target;
  if (!(select instanceof HTMLSelectElement) || !select.closest(".picker")) return;
  select.keptOptions = [...select.selectedOptions].filter((option) => option.value).map((o) => o.cloneNode(true));
});
document.addEventListener("htmx:afterSwap", (event) => {
  const select = event.detail.target;
  if (!(select instanceof HTMLSelectElement) || !select.keptOptions) return;
  select.keptOptions.forEach((kept) => {
    const same = [...select.options].find((option) => option.value === kept.value);
    if (same) {
      same.selected = true;
    } else {
      kept.selected = true;
      select.insertBefore(kept, select.options[select.multiple ? 0 : 1] || null);
    }
  });
  select.keptOptions = null;
});
