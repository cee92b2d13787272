/** The `catalogue` listing: every model the app can run, as the panels and the CLI's help show them. */
import './wiring.ts';

export {
  modelCatalogue,
  catalogueUsage,
  LEADERBOARD,
  type CatalogueEntry,
  type CatalogueParam,
} from '../forecast/catalogue.ts';
