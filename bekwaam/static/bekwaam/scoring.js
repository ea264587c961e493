/* Scoring a lesson visit on a tablet: every tap and note is saved at once, and a lost connection loses
   nothing.

   Each change is kept in localStorage (keyed by the observation's id) as the item's whole state with
   the time it was made, until the server has confirmed it. Unsent changes are sent again when the
   browser says it is back online, every few seconds while any are waiting, and when the page is
   opened again (they are put back on the page first). The server keeps the newer of what it has and
   what arrives, so a late replay never overwrites a newer score made on another device.

   Without this script the page is a normal form: "Save" sends every item at once. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-scoring]");
  if (!form || !window.fetch) {
    return;
  }
  var RETRY_MS = 4000;
  var NOTE_DELAY_MS = 700;
  var saveUrl = form.getAttribute("data-save-url");
  var storageKey = "bekwaam:observation:" + form.getAttribute("data-observation") + ":pending";
  var status = document.getElementById("save-status");
  var counter = document.querySelector("[data-scored-count]");
  var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var csrfToken = tokenInput ? tokenInput.value : "";
  var text = {
    saved: form.getAttribute("data-msg-saved"),
    sending: form.getAttribute("data-msg-sending"),
    pending: form.getAttribute("data-msg-pending"),
    signedOut: form.getAttribute("data-msg-signed-out"),
    refused: form.getAttribute("data-msg-refused"),
    newer: form.getAttribute("data-msg-newer"),
    live: form.getAttribute("data-msg-live")
  };
  var pending = load();
  var inFlight = false;
  var again = false;
  var noteTimers = {};

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storageKey) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (error) {
      return {};
    }
  }

  function store() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(storageKey, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (error) {
      /* Storage full or blocked (private mode): the change still goes out while online. */
    }
  }

  function show(state, message) {
    if (status.getAttribute("data-state") === state && status.textContent === message) {
      return;
    }
    status.setAttribute("data-state", state);
    status.textContent = message;
  }

  function radiosOf(item) {
    return form.querySelectorAll("input[type=radio][data-item='" + item + "']");
  }

  function noteOf(item) {
    return form.querySelector("textarea[data-item='" + item + "']");
  }

  function readItem(item) {
    var value = null;
    Array.prototype.forEach.call(radiosOf(item), function (radio) {
      if (radio.checked && radio.value !== "") {
        value = parseInt(radio.value, 10);
      }
    });
    var note = noteOf(item);
    return { value: value, note: note ? note.value : "" };
  }

  function writeItem(item, state) {
    Array.prototype.forEach.call(radiosOf(item), function (radio) {
      radio.checked = state.value === null ? radio.value === "" : radio.value === String(state.value);
    });
    var note = noteOf(item);
    if (note && document.activeElement !== note) {
      note.value = state.note || "";
    }
  }

  function count() {
    if (!counter) {
      return;
    }
    var scored = form.querySelectorAll("input[type=radio][data-item]:checked:not([value=''])").length;
    counter.textContent = String(scored);
  }

  function queue(item) {
    var state = readItem(item);
    state.edited_at = Date.now();
    pending[item] = state;
    store();
    count();
    send();
  }

  function settle() {
    if (Object.keys(pending).length) {
      show("pending", text.pending);
    } else {
      show("saved", text.saved);
    }
  }

  function send() {
    var items = Object.keys(pending);
    if (!items.length) {
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    var batch = items.map(function (item) {
      var change = pending[item];
      return { item: parseInt(item, 10), value: change.value, note: change.note, edited_at: change.edited_at };
    });
    inFlight = true;
    show("sending", text.sending);
    var newerKept = false;
    window
      .fetch(saveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ changes: batch })
      })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 0) {
          show("pending", text.signedOut); /* the session ended: keep everything for later */
          return null;
        }
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!isJson) {
          throw new Error("no JSON");
        }
        return response.json().then(function (data) {
          if (response.ok) {
            (data.results || []).forEach(function (result) {
              var sent = batch.filter(function (change) { return change.item === result.item; })[0];
              var current = pending[result.item];
              /* A change made while this one was on its way stays waiting. */
              if (current && sent && current.edited_at <= sent.edited_at) {
                delete pending[result.item];
                if (!result.applied) {
                  writeItem(result.item, result);
                  newerKept = true;
                }
              }
            });
            store();
            count();
            settle();
            if (newerKept && !Object.keys(pending).length) {
              show("saved", text.saved + " " + text.newer);
            }
          } else if (response.status === 400 || response.status === 403 || response.status === 404) {
            /* Refused for good (the visit was put forward, someone else's visit): sending again would not help. */
            batch.forEach(function (change) {
              var current = pending[change.item];
              if (current && current.edited_at <= change.edited_at) {
                delete pending[change.item];
              }
            });
            store();
            show("error", text.refused + " " + (data.error || ""));
          } else {
            show("pending", text.pending);
          }
        });
      })
      .catch(function () {
        show("pending", text.pending);
      })
      .then(function () {
        inFlight = false;
        if (again) {
          again = false;
          send();
        }
      });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    var item = target.getAttribute && target.getAttribute("data-item");
    if (!item) {
      return;
    }
    if (target.tagName === "TEXTAREA") {
      window.clearTimeout(noteTimers[item]);
    }
    queue(item);
  });

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.tagName !== "TEXTAREA" || !target.getAttribute("data-item")) {
      return;
    }
    var item = target.getAttribute("data-item");
    window.clearTimeout(noteTimers[item]);
    noteTimers[item] = window.setTimeout(function () {
      queue(item);
    }, NOTE_DELAY_MS);
  });

  /* "Save" with changes still waiting: send them first instead of leaving the page (offline, the
     browser would show an error page). With nothing waiting, the form is sent as it is. */
  form.addEventListener("submit", function (event) {
    if (!Object.keys(pending).length && navigator.onLine !== false) {
      return;
    }
    event.preventDefault();
    send();
    settle();
  });

  window.addEventListener("online", send);
  window.setInterval(function () {
    if (Object.keys(pending).length) {
      send();
    }
  }, RETRY_MS);

  /* Opened again with changes that never reached the server: show them and send them now. */
  Object.keys(pending).forEach(function (item) {
    if (radiosOf(item).length) {
      writeItem(item, pending[item]);
    } else {
      delete pending[item]; /* not on this page (any more) */
    }
  });
  store();
  count();
  if (Object.keys(pending).length) {
    show("pending", text.pending);
    send();
  } else {
    show("idle", text.live);
  }
})();
