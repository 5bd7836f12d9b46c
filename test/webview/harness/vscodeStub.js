// The VS Code webview host stand-in shared by every panel's harness page: a recording
// acquireVsCodeApi() stub and the theme variables VS Code injects (Light Modern, Dark Modern, Dark High Contrast).
// Everything the tests read back lives on window.harness; the panel only sees acquireVsCodeApi().
window.harness = { posted: [], states: [], violations: [], initialState: window.harnessInitialState ?? undefined };
document.addEventListener('securitypolicyviolation', (event) => {
  window.harness.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
window.acquireVsCodeApi = () => ({
  postMessage: (message) => window.harness.posted.push(message),
  getState: () => window.harness.initialState,
  setState: (state) => {
    window.harness.states.push(state);
    window.harness.initialState = state;
  },
});

const sharedVariables = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
};
// Values close to VS Code's Light Modern, Dark Modern and Dark High Contrast themes.
const themes = {
  light: {
    bodyClass: 'vscode-light',
    variables: {
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-charts-foreground': '#616161',
      '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-editor-selectionBackground': '#add6ff',
      '--vscode-editorWarning-foreground': '#bf8803',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    variables: {
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-errorForeground': '#f85149',
      '--vscode-widget-border': '#313131',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-editor-selectionBackground': '#264f78',
      '--vscode-editorWarning-foreground': '#cca700',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    variables: {
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-foreground': '#ffffff',
      '--vscode-descriptionForeground': '#ffffff',
      '--vscode-charts-foreground': '#ffffff',
      '--vscode-charts-lines': 'rgba(255, 255, 255, 0.5)',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-yellow': '#ffd700',
      '--vscode-focusBorder': '#f38518',
      '--vscode-errorForeground': '#f48771',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-widget-border': '#6fc3df',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000',
      '--vscode-button-secondaryForeground': '#ffffff',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-editor-selectionBackground': '#ffffff',
      '--vscode-editorWarning-foreground': '#ffd700',
    },
  },
};
// VS Code puts the variables on <html style> and the theme kind on <body class>; the harness does the same.
window.harness.applyTheme = (name) => {
  const theme = themes[name];
  const style = document.documentElement.style;
  for (const [key, value] of Object.entries({ ...sharedVariables, ...theme.variables })) style.setProperty(key, value);
  document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
  document.body.classList.add(theme.bodyClass);
  document.body.dataset.vscodeThemeKind = theme.bodyClass;
};

// The panel that panelHarness.html hosts, named by its `?panel=` query: the bundle and style sheet it loads from
// dist/webview, and its title. Any other name stops the page here, which the tests see as a page error.
const panelTitles = { schedule: 'Schedule', rangeTest: 'Range test', landscape: 'Landscape' };
const panelName = new URLSearchParams(window.location.search).get('panel') ?? '';
if (!Object.hasOwn(panelTitles, panelName)) throw new Error(`panelHarness.html: no panel named '${panelName}'`);
window.harness.panel = { name: panelName, title: panelTitles[panelName] };
