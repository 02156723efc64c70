// App-wide UI state: which of the global dialogs is open, and with what.
export const ui = $state({
  paletteOpen: false,
  logOpen: false,
  newClientOpen: false,
  logClient: null as null | { id: string; name: string },
  // the client whose page is open: "Log interaction" starts with them
  currentClient: null as null | { id: string; name: string },
  logType: 'call' as string,
  // bumped after a change elsewhere (an interaction logged), so open pages reload what they show
  changed: 0,
  openLog(client: { id: string; name: string } | null = null, type = 'call') {
    this.logClient = client;
    this.logType = type;
    this.logOpen = true;
  },
});
