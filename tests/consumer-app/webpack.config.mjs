// webpack 5 needs nothing for portal-client: it finds `new URL('./portal-core.wasm',
// import.meta.url)` in the package and emits the wasm as an asset. What is here is the app's own
// entry, output and page (index.html, its script pointed at the bundle).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const APP = import.meta.dirname;

export default {
  mode: 'production',
  entry: './src/main.js',
  output: {
    path: resolve(APP, 'dist-webpack'),
    filename: 'assets/[name]-[contenthash].js',
    assetModuleFilename: 'assets/[name]-[contenthash][ext]',
    clean: true,
  },
  plugins: [{
    apply(compiler) {
      compiler.hooks.thisCompilation.tap('page', (compilation) => {
        compilation.hooks.processAssets.tap({ name: 'page', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE }, () => {
          const script = [...compilation.entrypoints.get('main').getFiles()].find((file) => file.endsWith('.js'));
          const html = readFileSync(resolve(APP, 'index.html'), 'utf8').replace('/src/main.js', `/${script}`);
          compilation.emitAsset('index.html', new compiler.webpack.sources.RawSource(html));
        });
      });
    },
  }],
};
