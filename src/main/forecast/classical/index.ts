import { registerForecaster, registerForecasterPattern } from '../registry.ts';
import { countsAll } from './counts-all.ts';
import { countsN } from './counts-n.ts';
import { persistence } from './persistence.ts';
import { kde } from './kde.ts';
import { prospective } from './prospective.ts';
import { sepp } from './sepp.ts';
import { calendar } from './calendar.ts';

registerForecaster('counts-all', countsAll, 'events per cell over all history');
registerForecaster('counts-Nd', countsN, 'events per cell in the last n steps (counts-365d: n=365)');
registerForecasterPattern(/^counts-(\d+)d$/, (m) => ({ name: 'counts-Nd', params: { n: m[1] } }));
registerForecaster('kde', kde, 'time-decayed kernel density (tau days, sigma cells)');
registerForecaster(
  'prospective',
  prospective,
  'prospective hot-spotting, Bowers et al. 2004 (bw cells, weeks)',
);
registerForecaster('sepp', sepp, 'grid self-exciting point process, Mohler et al. 2015 (EM)');
registerForecaster('persistence', persistence, 'the previous step');
registerForecaster(
  'calendar',
  calendar,
  "trailing-year mean per step × weekday, month and holiday factors, spread by the KDE; types: the trailing year's mix",
);
