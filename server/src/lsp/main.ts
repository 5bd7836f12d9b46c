// Entry point of the bundled language server (dist/server.js): stdio or IPC, whichever the client chose.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
