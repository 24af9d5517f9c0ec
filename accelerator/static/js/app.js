// Small progressive enhancements; the app works without JavaScript.
//
// Every listener here goes on document or window, and nothing is declared at the top level:
// an upload's answer is written over this page (document.open), which drops the listeners and
// runs this file again in the same window.
(function () {
  const text = {
    uploading: document.body.dataset.uploading || "…",
    uploadFailed: document.body.dataset.uploadFailed || "",
  };
  const percentFormat = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: "percent",
  });
  // form -> {submitter, spinner, disabled, progress}: what a submit in flight changed
  const inFlight = new WeakMap();

  function methodOf(form, submitter) {
    if (submitter && submitter.hasAttribute("formmethod")) return submitter.formMethod;
    return form.method; // "get" when the form names none
  }

  function actionOf(form, submitter) {
    if (submitter && submitter.hasAttribute("formaction")) return submitter.formAction;
    return form.action; // the page's own address when the form names none
  }

  function enctypeOf(form, submitter) {
    if (submitter && submitter.hasAttribute("formenctype")) return submitter.formEnctype;
    return form.enctype;
  }

  function opensHere(form, submitter) {
    const target =
      (submitter && submitter.getAttribute("formtarget")) || form.getAttribute("target") || "";
    return target === "" || target === "_self";
  }

  function submitButtons(form) {
    return Array.from(form.elements).filter((el) => el.type === "submit" || el.type === "image");
  }

  function chosenFiles(form) {
    return Array.from(form.elements).some(
      (el) => el.type === "file" && !el.disabled && el.files && el.files.length > 0
    );
  }

  // The submit button says it is busy, the form's buttons are dimmed, and the form refuses a
  // second submit until this one is answered (or the page comes back from the back/forward cache).
  function markBusy(form, submitter) {
    const state = { submitter: submitter, spinner: null, disabled: [], progress: null };
    inFlight.set(form, state);
    form.dataset.submitting = "true";
    if (submitter) {
      submitter.setAttribute("aria-busy", "true");
      const spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-1 busy-spinner";
      spinner.setAttribute("aria-hidden", "true");
      if (submitter.tagName === "BUTTON") {
        submitter.prepend(spinner);
      } else {
        submitter.before(spinner); // an <input type="submit"> holds no children
      }
      state.spinner = spinner;
    }
    // Disabled only once the browser has read the form: a disabled submit button's name=value
    // would be left out of what is sent (the import preview's "run" is one).
    window.setTimeout(function () {
      if (inFlight.get(form) !== state) return;
      submitButtons(form).forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          state.disabled.push(button);
        }
      });
    }, 0);
  }

  function restore(form) {
    const state = inFlight.get(form);
    inFlight.delete(form);
    delete form.dataset.submitting;
    if (!state) return;
    if (state.submitter) state.submitter.removeAttribute("aria-busy");
    if (state.spinner) state.spinner.remove();
    if (state.progress) state.progress.remove();
    state.disabled.forEach(function (button) {
      button.disabled = false;
    });
  }

  // An upload: its progress under the form, then the answer's page, as the browser would show it.
  function upload(form, submitter) {
    const state = inFlight.get(form);
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);

    const box = document.createElement("div");
    box.className = "mt-2 upload-status";
    const bar = document.createElement("progress");
    bar.className = "upload-progress w-100";
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", text.uploading);
    const words = document.createElement("div");
    words.className = "small text-body-secondary upload-words";
    box.append(bar, words);
    form.append(box);
    state.progress = box;

    function show(fraction) {
      bar.value = Math.round(fraction * 100);
      words.textContent = text.uploading + " " + percentFormat.format(fraction);
    }
    show(0);

    function fail() {
      restore(form);
      if (!text.uploadFailed) return;
      const alert = document.createElement("div");
      alert.className = "alert alert-danger mt-2 upload-failed";
      alert.setAttribute("role", "alert");
      alert.textContent = text.uploadFailed;
      form.querySelectorAll(".upload-failed").forEach((old) => old.remove());
      form.append(alert);
    }

    const xhr = new XMLHttpRequest();
    xhr.open("POST", actionOf(form, submitter));
    xhr.setRequestHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable && event.total > 0) show(event.loaded / event.total);
    });
    xhr.upload.addEventListener("load", function () {
      show(1);
    });
    xhr.addEventListener("error", fail);
    xhr.addEventListener("abort", fail);
    xhr.addEventListener("load", function () {
      const type = xhr.getResponseHeader("Content-Type") || "";
      if (!type.startsWith("text/html")) {
        fail();
        return;
      }
      // The page the answer is (after its redirect, if any) replaces this one, at its address:
      // a redirect's flash message is shown once, and a 422 shows the form with its errors.
      window.history.replaceState(null, "", xhr.responseURL || actionOf(form, submitter));
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const submitter = event.submitter || null;
    if (form.dataset.submitting) {
      event.preventDefault(); // already on its way: once is enough
      return;
    }
    if (form.hasAttribute("data-confirm") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // A GET form (filters, searches, downloads) only reads: it stays as it is.
    if (event.defaultPrevented || methodOf(form, submitter) !== "post") return;
    if (!opensHere(form, submitter)) return;
    markBusy(form, submitter);
    if (enctypeOf(form, submitter) === "multipart/form-data" && chosenFiles(form)) {
      event.preventDefault();
      upload(form, submitter);
    }
  });

  // Back to a page kept in the back/forward cache: its forms are ready again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(restore);
  });

  // Long answer sheets: on a phone, only the first section starts open; the rest expand on a tap.
  if (window.matchMedia && window.matchMedia("(max-width: 575.98px)").matches) {
    document.querySelectorAll(".answers").forEach(function (sheet) {
      sheet.querySelectorAll("details.answer-section").forEach(function (section, index) {
        if (index > 0) section.open = false;
      });
    });
  }
})();
