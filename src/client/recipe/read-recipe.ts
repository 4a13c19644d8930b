/**
 * A PyTorch recipe checkpoint in a zip the person imports: a folder with config.json (format
 * simclr-tab-recipe) and encoder, head and optimizer .safetensors beside it or in weights/ (the
 * recipe's checkpoints/step-N/, or the download itself). With several, the latest step is taken.
 */
import { parseRecipeConfig, RECIPE_FORMAT, type RecipeCheckpointFiles } from '../../protocol/recipe-config';

const PARTS = ['encoder', 'head', 'optimizer'] as const;

const bufferOf = (bytes: Uint8Array) => bytes.slice().buffer as ArrayBuffer;

/** The recipe checkpoint in unzipped `files`, null when there is no recipe config.json; throws when one is incomplete. */
export function recipeCheckpointFromZip(name: string, files: Record<string, Uint8Array>): RecipeCheckpointFiles | null {
  const found: Array<{ step: number; files: RecipeCheckpointFiles }> = [];
  for (const [path, bytes] of Object.entries(files)) {
    if (path !== 'config.json' && !path.endsWith('/config.json')) continue;
    const text = new TextDecoder().decode(bytes);
    if (!text.includes(RECIPE_FORMAT)) continue;
    const config = parseRecipeConfig(text, `${name}: ${path}`);
    const folder = path.slice(0, -'config.json'.length);
    const where = [folder, `${folder}weights/`].find((dir) => PARTS.every((p) => files[`${dir}${p}.safetensors`]));
    if (where === undefined) {
      const missing = PARTS.filter((p) => !files[`${folder}${p}.safetensors`]).map((p) => `${p}.safetensors`);
      throw new Error(
        `${name}: ${path} has no ${missing.join(', ')} beside it (or in weights/): zip the whole checkpoint folder.`,
      );
    }
    const part = (p: (typeof PARTS)[number]) => bufferOf(files[`${where}${p}.safetensors`]!);
    const list = files[`${folder}files.txt`];
    found.push({
      step: config.step,
      files: {
        config: text,
        encoder: part('encoder'),
        head: part('head'),
        optimizer: part('optimizer'),
        fileList: list ? new TextDecoder().decode(list) : null,
      },
    });
  }
  found.sort((a, b) => b.step - a.step);
  return found[0]?.files ?? null;
}
