// Drag-and-drop onto the upload form, and the size checked before sending.
// The form works without this file: it only adds comfort.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var error = document.getElementById("upload-error");
  var button = document.getElementById("upload-button");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;

  function say(text) {
    error.textContent = text;
    error.classList.toggle("hidden", !text);
  }

  function tooLarge(file) {
    return maxBytes && file && file.size > maxBytes;
  }

  function mb(bytes) { return Math.round(bytes / 1048576); }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    say(tooLarge(file) ? "Tệp lớn hơn " + mb(maxBytes) + " MB nên không nhận. Hãy xóa ảnh, trang tính thừa rồi lưu lại." : "");
  });

  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      event.preventDefault();
      drop.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      event.preventDefault();
      drop.classList.remove("over");
    });
  });
  drop.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) { return; }
    input.files = files;
    if (tooLarge(files[0])) {
      say("Tệp lớn hơn " + mb(maxBytes) + " MB nên không nhận. Hãy xóa ảnh, trang tính thừa rồi lưu lại.");
      return;
    }
    say("");
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });

  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (tooLarge(file)) {
      event.preventDefault();
      say("Tệp lớn hơn " + mb(maxBytes) + " MB nên không nhận.");
      return;
    }
    button.disabled = true;
    button.textContent = "Đang tải lên và kiểm tra…";
  });
}());
