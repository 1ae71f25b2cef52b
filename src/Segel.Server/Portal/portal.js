// Segel portal: small progressive enhancements. Every form works without this file.
"use strict";
(function () {
  function describe(input) {
    var state = input.closest(".drop") && input.closest(".drop").querySelector(".drop-state");
    if (!state) return;
    if (input.files && input.files.length > 0) {
      var f = input.files[0];
      state.textContent = "✓ " + f.name + " (" + Math.round(f.size / 1024) + " KB)";
      input.closest(".drop").classList.add("filled");
    } else {
      state.textContent = state.getAttribute("data-empty") || state.textContent;
      input.closest(".drop").classList.remove("filled");
    }
  }

  // Every enhancement, on the page or on a part of it that replaced the old one.
  function enhance(root) {
    // Drop zones: a file dropped anywhere on the box goes into its file input.
    root.querySelectorAll(".drop").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      if (!input) return;
      var state = zone.querySelector(".drop-state");
      if (state) state.setAttribute("data-empty", state.textContent);
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        if (e.dataTransfer && e.dataTransfer.files.length > 0) {
          input.files = e.dataTransfer.files;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      input.addEventListener("change", function () { describe(input); });
    });

    // The application form: which documents are still missing, before it is sent.
    root.querySelectorAll("form[data-checklist]").forEach(function (form) {
      var box = form.querySelector("[data-missing-box]");
      var list = form.querySelector("[data-missing-list]");
      function kind() {
        var checked = form.querySelector("input[data-kind]:checked");
        return checked ? checked.value : "new";
      }
      function update() {
        var missing = [];
        form.querySelectorAll(".drop[data-slot]").forEach(function (zone) {
          var onlyReissue = zone.getAttribute("data-reissue-only") === "true";
          var needed = !onlyReissue || kind() === "reissue";
          zone.hidden = !needed;
          var input = zone.querySelector("input[type=file]");
          if (!needed) { input.value = ""; return; }
          if (!input.files || input.files.length === 0) missing.push(zone.querySelector("label").textContent);
        });
        list.innerHTML = "";
        missing.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; list.appendChild(li); });
        box.hidden = missing.length === 0;
      }
      form.addEventListener("change", update);
      update();
    });

    // A password or passphrase shows how hard it would be to guess as it is typed. Advice only: the server keeps the
    // rules (minimum length) and the lockout; this estimate is rough (length × alphabet, less for repeats and known words).
    var common = ["password", "sandi", "katasandi", "rahasia", "qwerty", "123456", "12345678", "admin", "segel", "tanahbumbu", "indonesia"];
    function strength(value, min) {
      if (value.length < min) return 0;
      var lower = value.toLowerCase();
      if (common.some(function (w) { return lower.indexOf(w) >= 0 && value.length < w.length + 6; })) return 1;
      var pool = (/[a-z]/.test(value) ? 26 : 0) + (/[A-Z]/.test(value) ? 26 : 0) + (/[0-9]/.test(value) ? 10 : 0) +
        (/[^a-zA-Z0-9]/.test(value) ? 33 : 0);
      var distinct = new Set(value).size;
      var bits = Math.min(value.length, distinct * 2) * Math.log2(Math.max(pool, 2));
      if (/(.)\1\1/.test(value)) bits -= 10;
      return bits < 45 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
    }
    root.querySelectorAll("input[data-strength]").forEach(function (input) {
      var box = document.getElementById(input.getAttribute("data-strength"));
      if (!box) return;
      var meter = box.querySelector("meter");
      var text = box.querySelector("[data-strength-text]");
      var words = box.getAttribute("data-words").split("|");
      var min = parseInt(input.getAttribute("data-strength-min") || "10", 10);
      input.addEventListener("input", function () {
        box.hidden = input.value.length === 0;
        var score = strength(input.value, min);
        meter.value = score;
        text.textContent = words[score];
        box.setAttribute("data-score", String(score));
      });
    });

    // Irreversible actions ask once more.
    root.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (e) {
        if (!window.confirm(button.getAttribute("data-confirm"))) e.preventDefault();
      });
    });

    // Large uploads show their progress; the answer replaces the page's main part as if the form had been sent normally.
    root.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      var box = form.querySelector("[data-progress]");
      if (!box || !window.FormData || !window.DOMParser) return;
      var bar = box.querySelector("progress");
      var text = box.querySelector("[data-progress-text]");
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var request = new XMLHttpRequest();
        request.open("POST", form.action || window.location.href);
        box.hidden = false;
        request.upload.addEventListener("progress", function (p) {
          if (!p.lengthComputable) return;
          var percent = Math.round(100 * p.loaded / p.total);
          bar.value = percent;
          text.textContent = percent + "%";
        });
        // Then the server's own progress, where the form has an id to ask about (rows checked, rows saved).
        var idField = form.querySelector("[data-progress-id]");
        var id = idField && window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : null;
        if (idField && id) idField.value = id;
        var polling = null;
        function poll() {
          var ask = new XMLHttpRequest();
          ask.open("GET", window.location.pathname + "?handler=Progress&id=" + encodeURIComponent(id));
          ask.addEventListener("load", function () {
            if (ask.status !== 200 || polling === null) return;
            var p = JSON.parse(ask.responseText);
            if (!p.total) return;
            bar.max = p.total;
            bar.value = p.done;
            text.textContent = (box.getAttribute("data-" + p.phase) || "{0}/{1}").replace("{0}", p.done).replace("{1}", p.total);
          });
          ask.send();
        }
        request.upload.addEventListener("load", function () {
          bar.removeAttribute("value");
          text.textContent = box.getAttribute("data-processing") || "…";
          var label = box.querySelector("label");
          if (label) label.textContent = box.getAttribute("data-processing") || label.textContent;
          if (id) polling = window.setInterval(poll, 300);
        });
        request.addEventListener("loadend", function () {
          if (polling !== null) window.clearInterval(polling);
          polling = null;
        });
        request.addEventListener("load", function () {
          var answer = new DOMParser().parseFromString(request.responseText, "text/html");
          var main = answer.querySelector("main");
          if (!main) { window.location.reload(); return; }
          document.querySelector("main").replaceWith(main);
          document.title = answer.title;
          enhance(main);
          var result = main.querySelector("[data-import-result]") || main;
          result.setAttribute("tabindex", "-1");
          result.focus();
        });
        request.addEventListener("error", function () { form.submit(); });
        request.send(new FormData(form));
      });
    });

    // A form with files the reader chose keeps them when the server refuses it (a browser cannot put a chosen file back
    // into a new page): the form is sent from here, a refusal's page replaces the main part with the file inputs carried
    // over, and a success goes where the server says (the Segel-Location header).
    root.querySelectorAll("form[data-keep-files]").forEach(function (form) {
      if (!window.FormData || !window.DOMParser) return;
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var request = new XMLHttpRequest();
        request.open("POST", form.action || window.location.href);
        request.setRequestHeader("Segel-Form", "1");
        request.addEventListener("load", function () {
          var next = request.getResponseHeader("Segel-Location");
          if (next && next.charAt(0) === "/") { window.location.assign(next); return; }
          var answer = new DOMParser().parseFromString(request.responseText, "text/html");
          var main = answer.querySelector("main");
          if (!main) { form.submit(); return; }
          main.querySelectorAll("input[type=file][id]").forEach(function (fresh) {
            var chosen = document.getElementById(fresh.id);
            if (chosen && chosen.files && chosen.files.length > 0) fresh.replaceWith(chosen);
          });
          document.querySelector("main").replaceWith(main);
          document.title = answer.title;
          enhance(main);
          main.querySelectorAll("input[type=file]").forEach(describe);
          var first = main.querySelector(".error:not(:empty), [role=alert]");
          var field = first && first.closest(".field") && first.closest(".field").querySelector("input, textarea, select");
          (field || main).focus();
        });
        request.addEventListener("error", function () { form.submit(); });
        request.send(new FormData(form));
      });
    });

    // Long operations say they are under way.
    root.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function () {
        var busy = form.querySelector("[data-busy]");
        if (busy) {
          busy.hidden = false;
          // A download keeps the page: the message goes after a while.
          setTimeout(function () { busy.hidden = true; }, 8000);
        }
      });
    });
  }
  enhance(document);
})();
