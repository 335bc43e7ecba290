// Jest's globalSetup runs outside moduleNameMapper: resolve the @app/* aliases here.
import * as path from 'path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../../tsconfig.json';

register({ baseUrl: path.resolve(__dirname, '..', '..'), paths: compilerOptions.paths });
