// Small behaviours that need script; every page still works without it.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  const status = event.detail.xhr.status;
  const note = document.createElement("p");
  note.className = "message message--error";
  note.setAttribute("role", "alert");
  note.textContent = status === 403
    ? "Du har inte behörighet att göra detta."
    : status === 409
      ? "Någon annan har ändrat detta under tiden. Ladda om sidan."
      : "Det gick inte att spara. Försök igen.";
  target.prepend(note);
});
