/**
 * Desktop alerts: when the agent has turned them on (a button in the header, shown only where the
 * browser has notifications) and the Earshot tab is in the background, conversations assigned to them
 * and SLA alerts also raise a system notification; clicking it brings the tab back on the conversation.
 * The choice is kept per browser (localStorage); the browser's own permission is asked on the click.
 * In-page notices (assigned-notices.ts, sla-notices.ts) are shown either way.
 */

const KEY = 'earshot.desktopAlerts';

const supported = () => typeof window !== 'undefined' && 'Notification' in window;

export function desktopAlertsOn(): boolean {
  return supported() && Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on';
}

/** The agent is looking elsewhere: another tab, another window, or the browser minimised. */
export function pageIsAway(): boolean {
  return document.visibilityState === 'hidden' || !document.hasFocus();
}

export interface DesktopAlert {
  title: string;
  body: string;
  /** Where a click on the notification takes the tab. */
  href: string;
  /** Alerts with the same tag replace each other (one per conversation and kind). */
  tag: string;
}

export function desktopAlert(a: DesktopAlert): void {
  if (!desktopAlertsOn() || !pageIsAway()) return;
  try {
    const n = new Notification(a.title, { body: a.body, tag: a.tag });
    n.onclick = () => {
      window.focus();
      window.location.assign(a.href);
      n.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the in-page notice remains.
  }
}

function stateText(): string {
  if (Notification.permission === 'denied') return 'Desktop alerts: blocked by the browser';
  return `Desktop alerts: ${desktopAlertsOn() ? 'on' : 'off'}`;
}

/** Fills the header's #desktop-alerts with its state and an on/off button. */
export function mountDesktopAlertsToggle(el: HTMLElement): void {
  if (!supported()) return;
  const state = document.createElement('span');
  const button = document.createElement('button');
  button.type = 'button';
  const refresh = () => {
    const on = desktopAlertsOn();
    state.className = on ? 'state on' : 'state off';
    state.textContent = stateText();
    button.textContent = on ? 'Turn off' : 'Turn on';
    button.setAttribute('aria-label', on ? 'Turn off desktop alerts' : 'Turn on desktop alerts');
    button.hidden = Notification.permission === 'denied';
  };
  button.addEventListener('click', async () => {
    if (desktopAlertsOn()) localStorage.setItem(KEY, 'off');
    else if ((await Notification.requestPermission()) === 'granted') localStorage.setItem(KEY, 'on');
    refresh();
  });
  refresh();
  el.replaceChildren(state, ' ', button);
}
