// The ways-out form remembers a traveller's answers in this browser only when
// they tick the box; nothing is sent anywhere but in the form's own GET.
const KEY = "exitwatch.profile";
const FIELDS = ["from", "citizenship", "document", "visa", "mode"];
const form = document.getElementById("profile");
const box = document.getElementById("remember");

function saved() {
  try {
    return JSON.parse(window.localStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

if (form && box) {
  box.closest("label").hidden = false;
  const profile = saved();
  box.checked = profile !== null;
  const asked = new URLSearchParams(window.location.search).has("from");
  if (profile && !asked) {
    for (const name of FIELDS) {
      if (profile[name] !== undefined && form.elements[name]) {
        form.elements[name].value = profile[name];
      }
    }
  }
  form.addEventListener("submit", () => {
    if (box.checked) {
      const kept = {};
      for (const name of FIELDS) kept[name] = form.elements[name].value;
      window.localStorage.setItem(KEY, JSON.stringify(kept));
    } else {
      window.localStorage.removeItem(KEY);
    }
  });
  box.addEventListener("change", () => {
    if (!box.checked) window.localStorage.removeItem(KEY);
  });
}
