// The console page: xterm.js in #terminal, relayed over the page's WebSocket. The first message is
// the page's one-time ticket; after it, what is typed goes to the guest as text, the terminal's size
// as a binary "resize COLUMNS ROWS", and what the guest writes comes back as binary messages.
(function () {
  var element = document.getElementById('terminal');
  var status = document.getElementById('consoleStatus');
  var term = new Terminal({ cols: 100, rows: 30, cursorBlink: true, scrollback: 2000 });
  var fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(element);
  try { fit.fit(); } catch (e) { /* a hidden terminal keeps its size */ }
  window.berthTerminal = term; // what the page shows, for tests and for copying

  var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  var socket = new WebSocket(scheme + location.host + element.dataset.socket);
  socket.binaryType = 'arraybuffer';
  // The terminal's size, as a binary message, so that full-screen programs fit the window.
  function sendSize() {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(new TextEncoder().encode('resize ' + term.cols + ' ' + term.rows));
    }
  }
  socket.onopen = function () {
    socket.send(element.dataset.ticket);
    sendSize();
    status.textContent = element.dataset.connected;
    status.dataset.state = 'open';
    term.focus();
  };
  socket.onmessage = function (event) {
    term.write(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
  };
  socket.onclose = function (event) {
    status.textContent = element.dataset.closed + (event.reason ? ' ' + event.reason : '');
    status.dataset.state = 'closed';
    term.options.disableStdin = true;
  };
  term.onData(function (data) {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(data);
    }
  });
  term.onResize(sendSize);
  window.addEventListener('resize', function () {
    try { fit.fit(); } catch (e) { /* ignore */ }
  });
})();
