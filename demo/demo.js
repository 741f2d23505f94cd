// Shows what the elements dispatch, as a host page would listen for it.
const log = document.getElementById('event-log');
const events = ['perso-signed-up', 'perso-signed-in', 'perso-error', 'perso-key-created', 'perso-key-deleted', 'perso-passkey-added', 'perso-passkey-removed'];
for (const type of events) {
  document.addEventListener(type, (event) => {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${type} ${JSON.stringify(event.detail)}`;
    log.prepend(item);
  });
}
