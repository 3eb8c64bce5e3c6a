// Opens files in a real VS Code (the e2e harness: code-server + Chromium) and saves a screenshot of each into
// test-results/e2e/ (after one of the bare workbench).
//   node scripts/run-ts.mjs scripts/e2e-screenshots.ts [--folder] [--workspace DIR] [--extra FILE]… [--theme NAME] [FILE…]
import { SessionOptions, withSession } from '../test/e2e/harness';

async function main(argv: string[]): Promise<void> {
  const files: string[] = [];
  const options: SessionOptions = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--folder') options.install = 'folder';
    else if (argv[i] === '--workspace') options.workspace = argv[++i];
    else if (argv[i] === '--extra') (options.extraFiles ??= []).push(argv[++i]);
    else if (argv[i] === '--theme') options.settings = { ...options.settings, 'workbench.colorTheme': argv[++i] };
    else files.push(argv[i]);
  }
  await withSession(options, async (s) => {
    await s.screenshot('workbench');
    for (const f of files) {
      await s.openFile(f);
      console.log(`${f}: language mode "${await s.languageMode()}"`);
      await s.screenshot(`open-${f}`);
    }
  });
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
