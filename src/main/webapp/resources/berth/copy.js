/*
 * Copy buttons: <button data-copy="ID" data-copied="Copied" data-failed="..."> copies the text of
 * the element ID and says so on the button for two seconds, or says to copy by hand (and selects
 * the text) where the browser refuses the clipboard, as it does on pages not served over HTTPS.
 */
document.addEventListener('click', function (event) {
  var button = event.target.closest('button[data-copy]');
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute('data-copy'));
  var label = button.querySelector('.berth-copy-label') || button;
  var original = button.getAttribute('data-label') || label.textContent;
  button.setAttribute('data-label', original);
  var status = document.getElementById(button.id + 'Status');
  function say(text) {
    label.textContent = text;
    if (status) {
      status.textContent = text;
    }
    window.clearTimeout(button.berthTimer);
    button.berthTimer = window.setTimeout(function () {
      label.textContent = original;
    }, 2000);
  }
  function byHand() {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    say(button.getAttribute('data-failed'));
  }
  if (!navigator.clipboard) {
    byHand();
    return;
  }
  navigator.clipboard.writeText(source.textContent).then(function () {
    say(button.getAttribute('data-copied'));
  }, byHand);
});
